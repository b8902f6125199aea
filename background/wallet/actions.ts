/**
 * What approving each wallet request does (merged into `approvals/actions.ts`). The signing
 * actions need the vault unlocked: when it is locked they fail with 4100 and the approval stays
 * pending, so the user can unlock in the approval window and approve again.
 * @module
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { invalidParams, unauthorized } from '../../src/protocol/errors.js';
import type { Actions } from '../approvals/types.js';
import type { WorkerDeps } from '../deps.js';
import { createSessionKey } from '../sessions/create.js';
import { personalSign, signTypedData, splitSignature, toHex0x } from '../vault/eth-sign.js';
import type { MasterAccount } from '../vault/secret.js';
import { apiKeyCreateMessage } from './api-key-message.js';
import { switchTo } from './chains.js';
import { masterEntry } from '../audit/entries.js';
import { chooseAccounts } from './account-choice.js';

type WalletKinds = 'connect' | 'personalSign' | 'signTypedData' | 'createApiKey' | 'switchChain';

async function account(deps: WorkerDeps, address: string): Promise<MasterAccount> {
  const found = (await deps.vault.accounts()).find((a) => a.address.toLowerCase() === address.toLowerCase());
  if (!found) throw unauthorized(`${address} is not an account of Keyhold's vault.`);
  return found;
}

export const walletActions: Pick<Actions, WalletKinds> = {
  /** Records the site's permission for the accounts the user picked (default: the selected one) and tells its pages. */
  async connect(deps, approval, options) {
    const { accounts } = await deps.vault.status();
    // Asked before a vault existed: approving waits until one does (the approval stays pending).
    if (accounts.length === 0) throw unauthorized('Set up Keyhold first: create or import a vault from the Keyhold button in the toolbar.');
    const granted = await chooseAccounts(deps, options.accounts);
    const had = await deps.permissions.get(approval.origin);
    await deps.permissions.grant(approval.origin, granted, deps.now());
    const { chainId } = await deps.vault.settings();
    deps.pushToSite(approval.origin, [
      { event: 'connect', data: { chainId } },
      { event: 'accountsChanged', data: granted },
    ]);
    return {
      result: { accounts: granted },
      undo: async () => {
        if (had) await deps.permissions.grant(had.origin, had.accounts, had.grantedAt);
        else await deps.permissions.revoke(approval.origin);
      },
    };
  },

  async personalSign(deps, approval, options) {
    const { params } = approval;
    if (params.siweDomainMismatch && !options.acknowledged) {
      throw invalidParams('This sign-in message is for another site: confirm that deliberately before approving.');
    }
    if (params.siweAddressMismatch && !options.acknowledged) {
      throw invalidParams('This sign-in message names another account than the one signing: confirm that deliberately before approving.');
    }
    const signer = await account(deps, params.address);
    const signature = toHex0x(personalSign(hexToBytes(params.messageHex.slice(2)), signer.privateKey));
    deps.audit.record(masterEntry(approval.origin, 'personal_sign', signer.address, deps.now()));
    return { result: { signature } };
  },

  async signTypedData(deps, approval) {
    const { params } = approval;
    const signer = await account(deps, params.address);
    const signature = signTypedData(params.typedData, signer.privateKey);
    deps.audit.record(masterEntry(approval.origin, 'eth_signTypedData_v4', signer.address, deps.now()));
    return { result: { signature } };
  },

  /** Makes the chain active (keeping a newly added one); every page hears chainChanged. */
  async switchChain(deps, approval) {
    const { params } = approval;
    const before = await deps.vault.settings();
    await switchTo(deps, params.to.chainId, params.add ? { chainId: params.to.chainId, name: params.to.name, ...params.add } : null);
    return {
      result: { chainId: params.to.chainId },
      undo: async () => {
        await deps.vault.setSettings({ chainId: before.chainId, addedChains: before.addedChains ?? [] });
        if (before.chainId !== params.to.chainId) deps.pushToEverySite([{ event: 'chainChanged', data: before.chainId }]);
      },
    };
  },

  /**
   * Makes the Ed25519 key (non-extractable) bound to the origin, as a session key is made, and
   * has the master sign its create message.
   */
  async createApiKey(deps, approval) {
    const { params, origin } = approval;
    const signer = await account(deps, params.address);
    if (params.validUntil <= deps.now()) throw invalidParams('validUntil has passed while the request waited; ask again.');
    const { record, undo } = await createSessionKey(deps, () => ({
      origin,
      role: 'FULL_ACCESS',
      subaccountIndex: null,
      requestTypes: null,
      label: params.name,
      validUntil: params.validUntil,
      kind: 'apiKey',
      apiKey: { address: signer.address.toLowerCase(), baseUrl: params.service?.baseUrl ?? null },
    }));
    const publicKeyHex = bytesToHex(record.publicKey);
    const message = apiKeyCreateMessage({ address: signer.address, publicKeyHex, name: params.name, validUntil: params.validUntil });
    const signature = splitSignature(personalSign(new TextEncoder().encode(message), signer.privateKey));
    deps.audit.record(masterEntry(origin, 'apiKey-create', signer.address, record.createdAt, { sessionId: record.id }));
    return {
      result: { id: record.id, publicKey: publicKeyHex, address: signer.address.toLowerCase(), name: params.name, validUntil: params.validUntil, signature },
      undo,
    };
  },
};
