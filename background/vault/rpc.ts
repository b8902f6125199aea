/**
 * The vault's extension-page RPC handlers (merged into `router/extension-rpc.ts`). Params are
 * validated here, where they enter; secrets never appear in an error message.
 * @module
 */
import { aint, aobject, aoneOf } from '../../src/protocol/assert.js';
import { invalidParams, unauthorized } from '../../src/protocol/errors.js';
import type { VaultMethods, VaultSecretInput, VaultView } from '../../src/protocol/vault-rpc.js';
import type { WorkerDeps } from '../deps.js';
import { apiKeyRevokeMessage } from '../wallet/api-key-message.js';
import { personalSign, splitSignature } from './eth-sign.js';
import { generateMnemonic, MAX_ACCOUNTS } from './secret.js';
import { MAX_PASSWORD_CHARS, checkName } from './vault.js';
import { fromBase64Url } from '../../src/encoding/base64url.js';
import { addressList, chooseAccounts } from '../wallet/account-choice.js';
import { accountsNow } from '../wallet/lock-events.js';
import { masterEntry } from '../audit/entries.js';

type Handlers = { [M in keyof VaultMethods]: (deps: WorkerDeps, params: unknown) => Promise<VaultMethods[M]['result']> };

const noParams = (params: unknown, method: string) => aobject(params ?? {}, `${method} params`, []);

function password(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > MAX_PASSWORD_CHARS) throw invalidParams(`${field} must be a string of at most ${MAX_PASSWORD_CHARS} characters.`);
  return value;
}

function secretInput(value: unknown): VaultSecretInput {
  const o = aobject(value, 'secret', ['kind', 'mnemonic', 'accounts', 'privateKey']);
  const kind = aoneOf(o.kind, 'secret.kind', ['mnemonic', 'privateKey'] as const);
  if (kind === 'privateKey') {
    if (typeof o.privateKey !== 'string' || o.privateKey.length > 200) throw invalidParams('secret.privateKey must be a hex string.');
    return { kind, privateKey: o.privateKey };
  }
  if (typeof o.mnemonic !== 'string' || o.mnemonic.length > 1000) throw invalidParams('secret.mnemonic must be a string of words.');
  const accounts = o.accounts === undefined ? 1 : aint(o.accounts, 'secret.accounts', 1, MAX_ACCOUNTS);
  return { kind, mnemonic: o.mnemonic, accounts };
}

const CHAIN_ID = /^0x[1-9a-f][0-9a-f]{0,12}$/;

export async function vaultView(deps: WorkerDeps): Promise<VaultView> {
  const [status, settings] = await Promise.all([deps.vault.status(), deps.vault.settings()]);
  return { ...status, autoLockMinutes: settings.autoLockMinutes, chainId: settings.chainId };
}

export const vaultHandlers: Handlers = {
  async vault_status(deps, params) {
    noParams(params, 'vault_status');
    return vaultView(deps);
  },
  async vault_generateMnemonic(_deps, params) {
    const o = aobject(params ?? {}, 'vault_generateMnemonic params', ['words']);
    const words = o.words === undefined ? 12 : o.words;
    if (words !== 12 && words !== 24) throw invalidParams('words must be 12 or 24.');
    return { mnemonic: generateMnemonic(words) };
  },
  async vault_create(deps, params) {
    const o = aobject(params, 'vault_create params', ['password', 'secret']);
    const source = secretInput(o.secret);
    await deps.vault.create(
      source.kind === 'mnemonic' ? { kind: 'mnemonic', mnemonic: source.mnemonic, accounts: source.accounts ?? 1 } : source,
      password(o.password, 'password'),
    );
    deps.notifyPages();
    return vaultView(deps);
  },
  async vault_unlock(deps, params) {
    const o = aobject(params, 'vault_unlock params', ['password']);
    await deps.vault.unlock(password(o.password, 'password'));
    deps.notifyPages();
    return vaultView(deps);
  },
  async vault_lock(deps, params) {
    noParams(params, 'vault_lock');
    await deps.vault.lock();
    deps.notifyPages();
    return vaultView(deps);
  },
  async vault_unlockWithPasskey(deps, params) {
    const o = aobject(params, 'vault_unlockWithPasskey params', ['credentialId', 'prfOutput']);
    await deps.vault.unlockWithPasskey(fromBase64Url(o.credentialId, 'credentialId', 1, 1023), fromBase64Url(o.prfOutput, 'prfOutput', 32, 32));
    deps.notifyPages();
    return vaultView(deps);
  },
  async vault_addPasskey(deps, params) {
    const o = aobject(params, 'vault_addPasskey params', ['password', 'credentialId', 'prfSalt', 'prfOutput', 'name']);
    await deps.vault.addPasskey({
      password: password(o.password, 'password'),
      credentialId: fromBase64Url(o.credentialId, 'credentialId', 1, 1023),
      prfSalt: fromBase64Url(o.prfSalt, 'prfSalt', 32, 32),
      prfOutput: fromBase64Url(o.prfOutput, 'prfOutput', 32, 32),
      name: checkName(o.name),
    });
    return vaultView(deps);
  },
  async vault_checkPassword(deps, params) {
    const o = aobject(params, 'vault_checkPassword params', ['password']);
    return deps.vault.checkPassword(password(o.password, 'password'));
  },
  async vault_removePasskey(deps, params) {
    const o = aobject(params, 'vault_removePasskey params', ['credentialId']);
    await deps.vault.removePasskey(fromBase64Url(o.credentialId, 'credentialId', 1, 1023));
    return vaultView(deps);
  },
  async vault_addAccount(deps, params) {
    const o = aobject(params ?? {}, 'vault_addAccount params', ['name']);
    await deps.vault.addAccount(o.name === undefined ? undefined : checkName(o.name));
    return vaultView(deps);
  },
  async vault_renameAccount(deps, params) {
    const o = aobject(params, 'vault_renameAccount params', ['address', 'name']);
    const [address] = addressList([o.address], 'address');
    await deps.vault.renameAccount(address!, checkName(o.name));
    return vaultView(deps);
  },
  async vault_selectAccount(deps, params) {
    const o = aobject(params, 'vault_selectAccount params', ['address']);
    const [address] = addressList([o.address], 'address');
    await deps.vault.selectAccount(address!);
    return vaultView(deps);
  },
  async vault_changePassword(deps, params) {
    const o = aobject(params, 'vault_changePassword params', ['oldPassword', 'newPassword']);
    return deps.vault.changePassword(password(o.oldPassword, 'oldPassword'), password(o.newPassword, 'newPassword'));
  },
  async vault_setSettings(deps, params) {
    const o = aobject(params, 'vault_setSettings params', ['autoLockMinutes', 'chainId']);
    const change: { autoLockMinutes?: number; chainId?: string } = {};
    if (o.autoLockMinutes !== undefined) change.autoLockMinutes = aint(o.autoLockMinutes, 'autoLockMinutes', 1, 1440);
    if (o.chainId !== undefined) {
      if (typeof o.chainId !== 'string' || !CHAIN_ID.test(o.chainId.toLowerCase())) throw invalidParams('chainId must be a 0x-hex integer such as "0x1".');
      change.chainId = o.chainId.toLowerCase();
    }
    const before = await deps.vault.settings();
    await deps.vault.setSettings(change);
    if (change.chainId !== undefined && change.chainId !== before.chainId) {
      for (const p of await deps.permissions.list()) deps.pushEvents(p.origin, [{ event: 'chainChanged', data: change.chainId }]);
    }
    return vaultView(deps);
  },
  async apiKey_signRevoke(deps, params) {
    const o = aobject(params, 'apiKey_signRevoke params', ['address', 'publicKeyHex', 'name']);
    if (typeof o.address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(o.address)) throw invalidParams('address must be a 0x-prefixed 20-byte address.');
    if (typeof o.publicKeyHex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(o.publicKeyHex)) throw invalidParams('publicKeyHex must be 64 hexadecimal digits.');
    if (typeof o.name !== 'string' || o.name.length < 1 || [...o.name].length > 64) throw invalidParams('name must be 1 to 64 characters.');
    const account = (await deps.vault.accounts()).find((a) => a.address.toLowerCase() === (o.address as string).toLowerCase());
    if (!account) throw unauthorized('That address is not an account of Keyhold\'s vault.');
    const message = apiKeyRevokeMessage({ address: account.address, publicKeyHex: o.publicKeyHex, name: o.name });
    const signature = splitSignature(personalSign(new TextEncoder().encode(message), account.privateKey));
    // Asked from Keyhold's popup, not by a site.
    deps.audit.record(masterEntry('keyhold', 'apiKey-revoke', account.address, deps.now()));
    return { message, signature };
  },
  async permission_list(deps, params) {
    noParams(params, 'permission_list');
    return (await deps.permissions.list()).map(({ origin, accounts, grantedAt }) => ({ origin, accounts, grantedAt }));
  },
  async permission_setAccounts(deps, params) {
    const o = aobject(params, 'permission_setAccounts params', ['origin', 'accounts']);
    if (typeof o.origin !== 'string' || o.origin.length > 2048) throw invalidParams('origin must be a string.');
    const origin = o.origin;
    const accounts = await chooseAccounts(deps, addressList(o.accounts, 'accounts'));
    const had = await deps.permissions.get(origin);
    if (!had) throw invalidParams('That site is not connected.');
    // What the site's pages see now ([] while locked: they hear the new list when it unlocks).
    const before = await accountsNow(deps, origin);
    const record = await deps.permissions.grant(origin, accounts, had.grantedAt);
    const after = await accountsNow(deps, origin);
    if (before.join() !== after.join()) deps.pushEvents(origin, [{ event: 'accountsChanged', data: after }]);
    deps.notifyPages();
    return { origin: record.origin, accounts: record.accounts, grantedAt: record.grantedAt };
  },
  async permission_revoke(deps, params) {
    const o = aobject(params, 'permission_revoke params', ['origin']);
    if (typeof o.origin !== 'string' || o.origin.length > 2048) throw invalidParams('origin must be a string.');
    const revoked = await deps.permissions.revoke(o.origin);
    if (revoked) {
      deps.pushEvents(o.origin, [
        { event: 'accountsChanged', data: [] },
        { event: 'disconnect', data: { code: 4900, message: 'The user disconnected this site from Keyhold.' } },
      ]);
    }
    return { revoked };
  },
};
