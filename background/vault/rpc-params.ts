/**
 * Validators for the vault's extension-page RPC (`VaultMethods`): raw params in, typed params
 * out, -32602 naming the field. Merged into `router/extension-params.ts`'s table; secrets never
 * appear in an error message.
 * @module
 */
import { aint, aobject, aoneOf } from '../../src/protocol/assert.js';
import { parseAddress, parseAddressList } from '../../src/protocol/address.js';
import { invalidParams } from '../../src/protocol/errors.js';
import type { VaultMethods, VaultSecretInput } from '../../src/protocol/vault-rpc.js';
import { fromBase64Url } from '../../src/encoding/base64url.js';
import { MAX_ACCOUNTS, type MasterSource } from './secret.js';
import { MAX_PASSWORD_CHARS, checkName } from './vault.js';

/** Params as the vault's handlers take them: as declared, but passkey bytes decoded from base64url. */
export interface VaultParsed {
  vault_unlockWithPasskey: { credentialId: Uint8Array; prfOutput: Uint8Array };
  vault_addPasskey: { password: string; credentialId: Uint8Array; prfSalt: Uint8Array; prfOutput: Uint8Array; name: string };
  vault_removePasskey: { credentialId: Uint8Array };
  /** A phrase's account count defaulted to 1. */
  vault_create: { password: string; secret: MasterSource };
}
export type VaultParams = { [M in keyof VaultMethods]: M extends keyof VaultParsed ? VaultParsed[M] : VaultMethods[M]['params'] };

/** Params that must be absent, `{}` or `undefined`. */
export const noParams = (method: string) => (params: unknown): Record<string, never> => {
  aobject(params ?? {}, `${method} params`, []);
  return {};
};

function password(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > MAX_PASSWORD_CHARS) throw invalidParams(`${field} must be a string of at most ${MAX_PASSWORD_CHARS} characters.`);
  return value;
}

function secretInput(value: unknown): MasterSource {
  const o = aobject(value, 'secret', ['kind', 'mnemonic', 'accounts', 'privateKey']);
  const kind = aoneOf(o.kind, 'secret.kind', ['mnemonic', 'privateKey'] as const satisfies readonly VaultSecretInput['kind'][]);
  if (kind === 'privateKey') {
    if (typeof o.privateKey !== 'string' || o.privateKey.length > 200) throw invalidParams('secret.privateKey must be a hex string.');
    return { kind, privateKey: o.privateKey };
  }
  if (typeof o.mnemonic !== 'string' || o.mnemonic.length > 1000) throw invalidParams('secret.mnemonic must be a string of words.');
  const accounts = o.accounts === undefined ? 1 : aint(o.accounts, 'secret.accounts', 1, MAX_ACCOUNTS);
  return { kind, mnemonic: o.mnemonic, accounts };
}

const credentialId = (v: unknown) => fromBase64Url(v, 'credentialId', 1, 1023);
const prf32 = (v: unknown, field: string) => fromBase64Url(v, field, 32, 32);
/** A connected site's origin as the popup names it (from `permission_list`): a bounded string. */
export function siteOrigin(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) throw invalidParams('origin must be a string.');
  return value;
}

const CHAIN_ID = /^0x[1-9a-f][0-9a-f]{0,12}$/;

type Parsers = { [M in keyof VaultMethods]: (params: unknown) => VaultParams[M] };

export const vaultParamParsers: Parsers = {
  vault_status: noParams('vault_status'),
  vault_generateMnemonic(params) {
    const o = aobject(params ?? {}, 'vault_generateMnemonic params', ['words']);
    const words = o.words === undefined ? 12 : o.words;
    if (words !== 12 && words !== 24) throw invalidParams('words must be 12 or 24.');
    return { words };
  },
  vault_create(params) {
    const o = aobject(params, 'vault_create params', ['password', 'secret']);
    return { secret: secretInput(o.secret), password: password(o.password, 'password') };
  },
  vault_unlock(params) {
    const o = aobject(params, 'vault_unlock params', ['password']);
    return { password: password(o.password, 'password') };
  },
  vault_lock: noParams('vault_lock'),
  vault_unlockWithPasskey(params) {
    const o = aobject(params, 'vault_unlockWithPasskey params', ['credentialId', 'prfOutput']);
    return { credentialId: credentialId(o.credentialId), prfOutput: prf32(o.prfOutput, 'prfOutput') };
  },
  vault_addPasskey(params) {
    const o = aobject(params, 'vault_addPasskey params', ['password', 'credentialId', 'prfSalt', 'prfOutput', 'name']);
    return {
      password: password(o.password, 'password'),
      credentialId: credentialId(o.credentialId),
      prfSalt: prf32(o.prfSalt, 'prfSalt'),
      prfOutput: prf32(o.prfOutput, 'prfOutput'),
      name: checkName(o.name),
    };
  },
  vault_checkPassword(params) {
    const o = aobject(params, 'vault_checkPassword params', ['password']);
    return { password: password(o.password, 'password') };
  },
  vault_removePasskey(params) {
    const o = aobject(params, 'vault_removePasskey params', ['credentialId']);
    return { credentialId: credentialId(o.credentialId) };
  },
  vault_addAccount(params) {
    const o = aobject(params ?? {}, 'vault_addAccount params', ['name']);
    return o.name === undefined ? {} : { name: checkName(o.name) };
  },
  vault_renameAccount(params) {
    const o = aobject(params, 'vault_renameAccount params', ['address', 'name']);
    return { address: parseAddress(o.address, 'address'), name: checkName(o.name) };
  },
  vault_selectAccount(params) {
    const o = aobject(params, 'vault_selectAccount params', ['address']);
    return { address: parseAddress(o.address, 'address') };
  },
  vault_changePassword(params) {
    const o = aobject(params, 'vault_changePassword params', ['oldPassword', 'newPassword']);
    return { oldPassword: password(o.oldPassword, 'oldPassword'), newPassword: password(o.newPassword, 'newPassword') };
  },
  vault_setSettings(params) {
    const o = aobject(params, 'vault_setSettings params', ['autoLockMinutes', 'chainId']);
    const change: { autoLockMinutes?: number; chainId?: string } = {};
    if (o.autoLockMinutes !== undefined) change.autoLockMinutes = aint(o.autoLockMinutes, 'autoLockMinutes', 1, 1440);
    if (o.chainId !== undefined) {
      if (typeof o.chainId !== 'string' || !CHAIN_ID.test(o.chainId.toLowerCase())) throw invalidParams('chainId must be a 0x-hex integer such as "0x1".');
      change.chainId = o.chainId.toLowerCase();
    }
    return change;
  },
  apiKey_signRevoke(params) {
    const o = aobject(params, 'apiKey_signRevoke params', ['address', 'publicKeyHex', 'name']);
    const address = parseAddress(o.address, 'address');
    if (typeof o.publicKeyHex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(o.publicKeyHex)) throw invalidParams('publicKeyHex must be 64 hexadecimal digits.');
    if (typeof o.name !== 'string' || o.name.length < 1 || [...o.name].length > 64) throw invalidParams('name must be 1 to 64 characters.');
    return { address, publicKeyHex: o.publicKeyHex, name: o.name };
  },
  permission_list: noParams('permission_list'),
  permission_setAccounts(params) {
    const o = aobject(params, 'permission_setAccounts params', ['origin', 'accounts']);
    return { origin: siteOrigin(o.origin), accounts: parseAddressList(o.accounts, 'accounts', MAX_ACCOUNTS) };
  },
  permission_revoke(params) {
    const o = aobject(params, 'permission_revoke params', ['origin']);
    return { origin: siteOrigin(o.origin) };
  },
};
