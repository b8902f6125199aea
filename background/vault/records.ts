/**
 * What the `vault` object store holds, by id: the encrypted master key ("master"), the
 * wrong-password counter ("throttle", on disk so a worker restart does not reset it) and the
 * vault's settings ("settings"). Stored records are validated when read (`isVaultRecord`).
 * @module
 */
import type { VaultRecord } from './cipher.js';

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

export type VaultStoreRecord = VaultRecord | ThrottleRecord | SettingsRecord;

export const DEFAULT_SETTINGS: SettingsRecord = { id: 'settings', autoLockMinutes: 15, chainId: '0x1' };

const isBytes = (v: unknown, n?: number): v is Uint8Array => v instanceof Uint8Array && (n === undefined || v.length === n);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Whether a stored value is a well-formed vault record; anything else is treated as damaged. */
export function isVaultRecord(r: unknown): r is VaultRecord {
  const v = r as Partial<VaultRecord> | null | undefined;
  return (
    !!v && v.id === 'master' && v.format === 1 &&
    !!v.kdf && v.kdf.name === 'PBKDF2' && v.kdf.hash === 'SHA-256' && isInt(v.kdf.iterations) && v.kdf.iterations >= 1 && isBytes(v.kdf.salt, 16) &&
    !!v.cipher && v.cipher.name === 'AES-GCM' && v.cipher.length === 256 && isBytes(v.cipher.iv, 12) &&
    isBytes(v.check, 32) && isBytes(v.ciphertext) && v.ciphertext.length > 16 &&
    Array.isArray(v.accounts) && v.accounts.length >= 1 && v.accounts.every((a) => typeof a === 'string' && /^0x[0-9a-fA-F]{40}$/.test(a)) &&
    isInt(v.createdAt) && isInt(v.updatedAt)
  );
}
