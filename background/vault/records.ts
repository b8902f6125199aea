/**
 * What the `vault` object store holds, by id: the encrypted master key ("master"), the
 * wrong-password counter ("throttle", on disk so a worker restart does not reset it), the
 * vault's settings ("settings") and the accounts' names and the selected one ("accounts"). Stored records are validated when read (`isVaultRecord`).
 * @module
 */
import { isBytes } from '@noble/hashes/utils.js';
import type { CipherParams, KdfParams, PasskeyWrap, VaultRecord, VaultRecordV1, VaultRecordV2, Wrap } from './cipher.js';
import { fieldsOf } from '../../src/protocol/fields.js';
import { isAddress } from '../../src/protocol/address.js';

export type { VaultRecord } from './cipher.js';

export type ThrottleRecord = {
  id: 'throttle';
  /** Wrong passwords in a row since the last successful unlock. */
  failures: number;
  /** ms since the epoch of the last wrong password. */
  lastFailureAt: number;
};

export type SettingsRecord = {
  id: 'settings';
  /** Lock after this many minutes without use of the master key. */
  autoLockMinutes: number;
  /** What `eth_chainId` answers, 0x-hex. */
  chainId: string;
  /** Chains pages added with `wallet_addEthereumChain` and the user approved (see `wallet/chains.ts`). */
  addedChains?: AddedChain[];
  /** Services the master logged in to, least recent first (`services/master-services.ts`). */
  masterServices?: string[];
};

/** A chain the user added at a page's request; Keyhold keeps what the page said, never calls it. */
export interface AddedChain {
  chainId: string;
  name: string;
  rpcUrls: string[];
  nativeCurrency: { name: string; symbol: string; decimals: number } | null;
  blockExplorerUrls: string[];
}

/** What the user calls each account, and which one new connections offer by default. Not secret. */
export type AccountsRecord = {
  id: 'accounts';
  /** Name by lower-case address; an account without one is "Account N". */
  names: Record<string, string>;
  /** Lower-case address of the selected account; absent: the first. */
  selected?: string;
};

export type VaultStoreRecord = VaultRecord | ThrottleRecord | SettingsRecord | AccountsRecord;

export const DEFAULT_SETTINGS: SettingsRecord = { id: 'settings', autoLockMinutes: 15, chainId: '0x1' };

const isBytesOf = (v: unknown, n?: number): v is Uint8Array => isBytes(v) && (n === undefined || v.length === n);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

const isObject = (x: unknown): x is object => typeof x === 'object' && x !== null;

const isWrap = (w: unknown, n: number): w is Wrap =>
  isObject(w) && isBytesOf(fieldsOf<Wrap>(w).iv, 12) && isBytesOf(fieldsOf<Wrap>(w).wrapped, n);

const isPasskeyWrap = (p: unknown): p is PasskeyWrap => {
  if (!isWrap(p, 48)) return false;
  const k = fieldsOf<PasskeyWrap>(p);
  return isBytesOf(k.credentialId) && k.credentialId.length >= 1 && k.credentialId.length <= 1023 &&
    isBytesOf(k.prfSalt, 32) && typeof k.name === 'string' && k.name.length <= 64 && isInt(k.createdAt);
};

const isKdf = (x: unknown): x is KdfParams => {
  if (!isObject(x)) return false;
  const k = fieldsOf<KdfParams>(x);
  return k.name === 'PBKDF2' && k.hash === 'SHA-256' && isInt(k.iterations) && k.iterations >= 1 && isBytesOf(k.salt, 16);
};

const isCipher = (x: unknown): x is CipherParams => {
  if (!isObject(x)) return false;
  const c = fieldsOf<CipherParams>(x);
  return c.name === 'AES-GCM' && c.length === 256 && isBytesOf(c.iv, 12);
};

/** Whether a stored value is a well-formed vault record (format 1 or 2); anything else is treated as damaged. */
export function isVaultRecord(r: unknown): r is VaultRecord {
  if (!isObject(r)) return false;
  const v = fieldsOf<VaultRecordV2 | VaultRecordV1>(r);
  const common =
    v.id === 'master' && isKdf(v.kdf) && isCipher(v.cipher) &&
    isBytesOf(v.check, 32) && isBytesOf(v.ciphertext) && v.ciphertext.length > 16 &&
    Array.isArray(v.accounts) && v.accounts.length >= 1 && v.accounts.every(isAddress) &&
    isInt(v.createdAt) && isInt(v.updatedAt);
  if (!common) return false;
  if (v.format === 1) return true;
  if (v.format !== 2) return false;
  const v2 = fieldsOf<VaultRecordV2>(r);
  return (v2.kind === 'mnemonic' || v2.kind === 'privateKey') && isWrap(v2.passwordWrap, 48) &&
    Array.isArray(v2.passkeys) && v2.passkeys.length <= MAX_PASSKEYS && v2.passkeys.every(isPasskeyWrap);
}

/** The most passkeys one vault enrolls. */
export const MAX_PASSKEYS = 10;

export const isAccountsRecord = (r: unknown): r is AccountsRecord => {
  if (!isObject(r)) return false;
  const a = fieldsOf<AccountsRecord>(r);
  return a.id === 'accounts' && isObject(a.names) &&
    Object.values(a.names).every((n) => typeof n === 'string') && (a.selected === undefined || typeof a.selected === 'string');
};
