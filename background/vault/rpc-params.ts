/**
 * Validators for the vault's extension-page RPC (`VaultMethods`): raw params in, typed params
 * out, -32602 naming the field. Merged into `router/extension-params.ts`'s table; secrets never
 * appear in an error message.
 * @module
 */
import { aint, aobject, aoneOf, type Plain } from '../../src/protocol/assert.js';
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

/**
 * The parser of one method whose params are an object with no fields but `keys`: `build` checks
 * the fields and makes the typed params. `optional`: absent params read as `{}`.
 */
export const objectParams =
  <R>(method: string, keys: readonly string[], build: (o: Plain) => R, { optional = false } = {}) =>
  (params: unknown): R =>
    build(aobject(optional ? (params ?? {}) : params, `${method} params`, keys));

/** Params that must be absent, `{}` or `undefined`. */
export const noParams = (method: string) => objectParams(method, [], (): Record<string, never> => ({}), { optional: true });

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
  vault_generateMnemonic: objectParams('vault_generateMnemonic', ['words'], (o) => {
    const words = o.words === undefined ? 12 : o.words;
    if (words !== 12 && words !== 24) throw invalidParams('words must be 12 or 24.');
    return { words };
  }, { optional: true }),
  vault_create: objectParams('vault_create', ['password', 'secret'], (o) => ({ secret: secretInput(o.secret), password: password(o.password, 'password') })),
  vault_unlock: objectParams('vault_unlock', ['password'], (o) => ({ password: password(o.password, 'password') })),
  vault_lock: noParams('vault_lock'),
  vault_unlockWithPasskey: objectParams('vault_unlockWithPasskey', ['credentialId', 'prfOutput'], (o) => ({ credentialId: credentialId(o.credentialId), prfOutput: prf32(o.prfOutput, 'prfOutput') })),
  vault_addPasskey: objectParams('vault_addPasskey', ['password', 'credentialId', 'prfSalt', 'prfOutput', 'name'], (o) => ({
    password: password(o.password, 'password'),
    credentialId: credentialId(o.credentialId),
    prfSalt: prf32(o.prfSalt, 'prfSalt'),
    prfOutput: prf32(o.prfOutput, 'prfOutput'),
    name: checkName(o.name),
  })),
  vault_checkPassword: objectParams('vault_checkPassword', ['password'], (o) => ({ password: password(o.password, 'password') })),
  vault_removePasskey: objectParams('vault_removePasskey', ['credentialId'], (o) => ({ credentialId: credentialId(o.credentialId) })),
  vault_addAccount: objectParams('vault_addAccount', ['name'], (o) => (o.name === undefined ? {} : { name: checkName(o.name) }), { optional: true }),
  vault_renameAccount: objectParams('vault_renameAccount', ['address', 'name'], (o) => ({ address: parseAddress(o.address, 'address'), name: checkName(o.name) })),
  vault_selectAccount: objectParams('vault_selectAccount', ['address'], (o) => ({ address: parseAddress(o.address, 'address') })),
  vault_changePassword: objectParams('vault_changePassword', ['oldPassword', 'newPassword'], (o) => ({ oldPassword: password(o.oldPassword, 'oldPassword'), newPassword: password(o.newPassword, 'newPassword') })),
  vault_setSettings: objectParams('vault_setSettings', ['autoLockMinutes', 'chainId'], (o) => {
    const change: { autoLockMinutes?: number; chainId?: string } = {};
    if (o.autoLockMinutes !== undefined) change.autoLockMinutes = aint(o.autoLockMinutes, 'autoLockMinutes', 1, 1440);
    if (o.chainId !== undefined) {
      if (typeof o.chainId !== 'string' || !CHAIN_ID.test(o.chainId.toLowerCase())) throw invalidParams('chainId must be a 0x-hex integer such as "0x1".');
      change.chainId = o.chainId.toLowerCase();
    }
    return change;
  }),
  apiKey_signRevoke: objectParams('apiKey_signRevoke', ['address', 'publicKeyHex', 'name'], (o) => {
    const address = parseAddress(o.address, 'address');
    if (typeof o.publicKeyHex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(o.publicKeyHex)) throw invalidParams('publicKeyHex must be 64 hexadecimal digits.');
    if (typeof o.name !== 'string' || o.name.length < 1 || [...o.name].length > 64) throw invalidParams('name must be 1 to 64 characters.');
    return { address, publicKeyHex: o.publicKeyHex, name: o.name };
  }),
  permission_list: noParams('permission_list'),
  permission_setAccounts: objectParams('permission_setAccounts', ['origin', 'accounts'], (o) => ({ origin: siteOrigin(o.origin), accounts: parseAddressList(o.accounts, 'accounts', MAX_ACCOUNTS) })),
  permission_revoke: objectParams('permission_revoke', ['origin'], (o) => ({ origin: siteOrigin(o.origin) })),
};
