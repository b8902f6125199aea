/**
 * What approving each kind of request does. An action runs when the user approves, in the
 * worker, before the approval is settled; if the approval stopped being pending meanwhile (its
 * window was closed), `undo` takes the effect back.
 * @module
 */
import type { ApprovalKind, ApprovalKinds } from '../../src/protocol/extension-rpc.js';
import { uuidToString, uuidv7 } from '../../src/wire/uuidv7.js';
import type { SessionRecord } from '../db.js';
import type { WorkerDeps } from '../deps.js';
import { unauthorized } from '../../src/protocol/errors.js';
import type { LoginMaster } from '../../src/wire/login-message.js';
import { loginPayload } from '../services/login.js';
import { checkLoginConsent } from '../services/login-consent.js';
import { sessionEntry } from '../audit/entries.js';
import type { ApprovalRecord } from './queue.js';
import { generateSessionKey } from '../sessions/keys.js';
import { walletActions } from '../wallet/actions.js';
import { tightenPolicy } from '../../src/policy/tighten.js';

export interface ActionOutcome<K extends ApprovalKind> {
  result: ApprovalKinds[K]['result'];
  undo?: () => Promise<void>;
}

/** What the user said besides "approve": `acknowledged` is a second, deliberate confirmation. */
export interface DecideOptions {
  acknowledged?: boolean;
  /** A connect approval: the accounts the user picked (lower case, validated at the RPC). */
  accounts?: string[];
  /** A session request: the policy as the user tightened it (unvalidated until the action checks it). */
  policy?: unknown;
}

export type Actions = {
  [K in ApprovalKind]: (deps: WorkerDeps, approval: Extract<ApprovalRecord, { kind: K }>, options: DecideOptions) => Promise<ActionOutcome<K>>;
};

export const approvalActions: Actions = {
  /**
   * Makes the session's key pair (non-extractable) and stores the session. A service session's
   * login is built here, bound to the site and the service; when the vault signs it, the vault
   * must be unlocked now and a login to another party's service needs the second confirmation.
   */
  async createSession(deps, approval, options) {
    const { params } = approval;
    const { login } = params;
    if (login) {
      checkLoginConsent(login, options.acknowledged === true);
      if (login.signer === 'vault') {
        if (login.account === null) throw unauthorized('Keyhold has no account to sign this login: set up a vault first.');
        if (!(await deps.vault.isUnlocked())) throw unauthorized('Unlock Keyhold to sign in to this service.');
      }
    }
    // Checked before anything is made: a looser policy than the site asked is refused.
    const policy = options.policy === undefined ? params.policy : tightenPolicy(params.policy, options.policy, params.requestTypes);
    const key = await generateSessionKey();
    const now = deps.now();
    const id = uuidToString(uuidv7(now));
    const record: SessionRecord = {
      id,
      origin: approval.origin,
      publicKey: key.publicKey,
      privateKey: key.privateKey,
      role: params.role,
      subaccountIndex: params.subaccountIndex,
      requestTypes: params.requestTypes,
      label: params.label,
      createdAt: now,
      validUntil: now + params.ttlSeconds * 1000,
    };
    if (params.requiresUnlock) record.requiresUnlock = true;
    if (policy) record.policy = policy;
    if (params.descriptor) record.descriptor = params.descriptor;
    if (params.service && login) {
      // Pending until a master signs this login and the service accepts it.
      const { baseUrl, master } = params.service;
      const chainId = Number.parseInt((await deps.vault.settings()).chainId, 16);
      const signer: LoginMaster = master === 'passkey' ? { kind: 'passkey' } : { kind: 'secp256k1', address: login.account ?? '', chainId };
      record.service = { baseUrl, master, status: 'pending', loginPayload: loginPayload(record, baseUrl, signer, now), deviceKey: null, signer: login.signer };
      if (login.account !== null) record.service.address = login.account;
    }
    await deps.sessions.add(record);
    deps.audit.record(sessionEntry('session-created', record.origin, id, now));
    deps.schedulePurge();
    return { result: { sessionId: id }, undo: async () => void (await deps.sessions.delete(id)) };
  },
  /** The signature itself is made by the gate that waits on this approval. */
  async confirmSign() {
    return { result: { confirmed: true } };
  },
  ...walletActions,
};
