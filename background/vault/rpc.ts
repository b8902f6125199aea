/**
 * The vault's extension-page RPC handlers (merged into `router/extension-rpc.ts`). Their params
 * arrive parsed (`rpc-params.ts`); secrets never appear in an error message.
 * @module
 */
import { invalidParams, unauthorized } from '../../src/protocol/errors.js';
import type { VaultMethods, VaultView } from '../../src/protocol/vault-rpc.js';
import type { WorkerDeps } from '../deps.js';
import { apiKeyRevokeMessage } from '../wallet/api-key-message.js';
import { personalSign, splitSignature } from './eth-sign.js';
import { generateMnemonic } from './secret.js';
import { chooseAccounts } from '../wallet/account-choice.js';
import { accountsNow } from '../wallet/lock-events.js';
import { masterEntry } from '../audit/entries.js';
import type { VaultParams } from './rpc-params.js';

/** One handler per vault method, taking its parsed params: a missing or misshapen one fails to compile. */
export type VaultHandlers = { [M in keyof VaultMethods]: (deps: WorkerDeps, params: VaultParams[M]) => Promise<VaultMethods[M]['result']> };

export async function vaultView(deps: WorkerDeps): Promise<VaultView> {
  const [status, settings] = await Promise.all([deps.vault.status(), deps.vault.settings()]);
  return { ...status, autoLockMinutes: settings.autoLockMinutes, chainId: settings.chainId };
}

export const vaultHandlers: VaultHandlers = {
  vault_status: (deps) => vaultView(deps),
  async vault_generateMnemonic(_deps, { words }) {
    return { mnemonic: generateMnemonic(words ?? 12) };
  },
  async vault_create(deps, { secret, password }) {
    await deps.vault.create(secret, password);
    deps.tellExtensionPages('popup:vault-changed');
    return vaultView(deps);
  },
  async vault_unlock(deps, { password }) {
    await deps.vault.unlock(password);
    deps.tellExtensionPages('popup:vault-changed');
    return vaultView(deps);
  },
  async vault_lock(deps) {
    await deps.vault.lock();
    deps.tellExtensionPages('popup:vault-changed');
    return vaultView(deps);
  },
  async vault_unlockWithPasskey(deps, { credentialId, prfOutput }) {
    await deps.vault.unlockWithPasskey(credentialId, prfOutput);
    deps.tellExtensionPages('popup:vault-changed');
    return vaultView(deps);
  },
  async vault_addPasskey(deps, passkey) {
    await deps.vault.addPasskey(passkey);
    return vaultView(deps);
  },
  vault_checkPassword: (deps, { password }) => deps.vault.checkPassword(password),
  async vault_removePasskey(deps, { credentialId }) {
    await deps.vault.removePasskey(credentialId);
    return vaultView(deps);
  },
  async vault_addAccount(deps, { name }) {
    await deps.vault.addAccount(name);
    return vaultView(deps);
  },
  async vault_renameAccount(deps, { address, name }) {
    await deps.vault.renameAccount(address, name);
    return vaultView(deps);
  },
  async vault_selectAccount(deps, { address }) {
    await deps.vault.selectAccount(address);
    return vaultView(deps);
  },
  vault_changePassword: (deps, { oldPassword, newPassword }) => deps.vault.changePassword(oldPassword, newPassword),
  async vault_setSettings(deps, change) {
    const before = await deps.vault.settings();
    await deps.vault.setSettings(change);
    if (change.chainId !== undefined && change.chainId !== before.chainId) {
      for (const p of await deps.permissions.list()) deps.pushToSite(p.origin, [{ event: 'chainChanged', data: change.chainId }]);
    }
    return vaultView(deps);
  },
  async apiKey_signRevoke(deps, { address, publicKeyHex, name }) {
    const account = (await deps.vault.accounts()).find((a) => a.address.toLowerCase() === address);
    if (!account) throw unauthorized('That address is not an account of Keyhold\'s vault.');
    const message = apiKeyRevokeMessage({ address: account.address, publicKeyHex, name });
    const signature = splitSignature(personalSign(new TextEncoder().encode(message), account.privateKey));
    // Asked from Keyhold's popup, not by a site.
    deps.audit.record(masterEntry('keyhold', 'apiKey-revoke', account.address, deps.now()));
    return { message, signature };
  },
  async permission_list(deps) {
    return (await deps.permissions.list()).map(({ origin, accounts, grantedAt }) => ({ origin, accounts, grantedAt }));
  },
  async permission_setAccounts(deps, { origin, accounts: picked }) {
    const accounts = await chooseAccounts(deps, picked);
    const had = await deps.permissions.get(origin);
    if (!had) throw invalidParams('That site is not connected.');
    // What the site's pages see now ([] while locked: they hear the new list when it unlocks).
    const before = await accountsNow(deps, origin);
    const record = await deps.permissions.grant(origin, accounts, had.grantedAt);
    const after = await accountsNow(deps, origin);
    if (before.join() !== after.join()) deps.pushToSite(origin, [{ event: 'accountsChanged', data: after }]);
    deps.tellExtensionPages('popup:sessions-changed');
    return { origin: record.origin, accounts: record.accounts, grantedAt: record.grantedAt };
  },
  async permission_revoke(deps, { origin }) {
    const revoked = await deps.permissions.revoke(origin);
    if (revoked) {
      deps.pushToSite(origin, [
        { event: 'accountsChanged', data: [] },
        { event: 'disconnect', data: { code: 4900, message: 'The user disconnected this site from Keyhold.' } },
      ]);
      deps.tellExtensionPages('popup:sessions-changed');
    }
    return { revoked };
  },
};
