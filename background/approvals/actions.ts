/**
 * What approving each kind of request does. An action runs when the user approves, in the
 * worker, before the approval is settled; if the approval stopped being pending meanwhile (its
 * window was closed), `undo` takes the effect back. The wallet's kinds come from
 * `wallet/actions.ts`; the types from `./types.ts`.
 * @module
 */
import { unauthorized } from '../../src/protocol/errors.js';
import type { LoginMaster } from '../../src/wire/login-message.js';
import { tightenPolicy } from '../../src/policy/tighten.js';
import { loginPayload } from '../services/login.js';
import { checkLoginConsent } from '../services/login-consent.js';
import { createSessionKey, type SessionFields } from '../sessions/create.js';
import { walletActions } from '../wallet/actions.js';
import type { Actions } from './types.js';

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
    const chainId = params.service && login ? Number.parseInt((await deps.vault.settings()).chainId, 16) : 0;
    const { record, undo } = await createSessionKey(deps, (made) => {
      const fields: SessionFields = {
        origin: approval.origin,
        role: params.role,
        subaccountIndex: params.subaccountIndex,
        requestTypes: params.requestTypes,
        label: params.label,
        validUntil: made.createdAt + params.ttlSeconds * 1000,
      };
      if (params.requiresUnlock) fields.requiresUnlock = true;
      if (policy) fields.policy = policy;
      if (params.descriptor) fields.descriptor = params.descriptor;
      if (params.service && login) {
        // Pending until a master signs this login and the service accepts it.
        const { baseUrl, master } = params.service;
        const signer: LoginMaster = master === 'passkey' ? { kind: 'passkey' } : { kind: 'secp256k1', address: login.account ?? '', chainId };
        const payload = loginPayload({ ...fields, ...made }, baseUrl, signer, made.createdAt);
        fields.service = { baseUrl, master, status: 'pending', loginPayload: payload, deviceKey: null, signer: login.signer };
        if (login.account !== null) fields.service.address = login.account;
      }
      return fields;
    });
    return { result: { sessionId: record.id }, undo };
  },
  /** The signature itself is made by the gate that waits on this approval. */
  async confirmSign() {
    return { result: { confirmed: true } };
  },
  ...walletActions,
};
