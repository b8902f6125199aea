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
import { loginPayload } from '../services/login.js';
import { sessionEntry } from '../audit/entries.js';
import type { ApprovalRecord } from './queue.js';
import { generateSessionKey } from '../sessions/keys.js';
import { walletActions } from '../wallet/actions.js';

export interface ActionOutcome<K extends ApprovalKind> {
  result: ApprovalKinds[K]['result'];
  undo?: () => Promise<void>;
}

/** What the user said besides "approve": `acknowledged` is a second, deliberate confirmation. */
export interface DecideOptions {
  acknowledged?: boolean;
}

export type Actions = {
  [K in ApprovalKind]: (deps: WorkerDeps, approval: Extract<ApprovalRecord, { kind: K }>, options: DecideOptions) => Promise<ActionOutcome<K>>;
};

export const approvalActions: Actions = {
  /** Makes the session's key pair (non-extractable) and stores the session. */
  async createSession(deps, approval) {
    const { params } = approval;
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
    if (params.service) {
      // Pending until a master signs this login payload and the service accepts it.
      const { baseUrl, master } = params.service;
      record.service = { baseUrl, master, status: 'pending', loginPayload: loginPayload(record, master, now), deviceKey: null };
    }
    await deps.sessions.add(record);
    deps.audit.record(sessionEntry('session-created', record.origin, id, now));
    deps.schedulePurge();
    return { result: { sessionId: id }, undo: async () => void (await deps.sessions.delete(id)) };
  },
  ...walletActions,
};
