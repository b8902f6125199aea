/**
 * The master secret inside the vault: a BIP-39 mnemonic (accounts m/44'/60'/0'/0/i) or one raw
 * secp256k1 private key, and the accounts' private keys derived from it once, at creation, so
 * that unlocking costs one KDF and no derivation. Mnemonics and derivation are @scure/bip39 and
 * @scure/bip32's; nothing here is hand-written crypto.
 * @module
 */
import { fieldsOf } from '../../src/protocol/fields.js';
import { HDKey } from '@scure/bip32';
import { generateMnemonic as scureGenerate, mnemonicToSeedWebcrypto, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { addr } from 'micro-eth-signer';

/** The most accounts one mnemonic vault derives. */
export const MAX_ACCOUNTS = 10;

/** Where a master key comes from, as the user gives it. */
export type MasterSource =
  | { kind: 'mnemonic'; mnemonic: string; accounts: number }
  | { kind: 'privateKey'; privateKey: string };

/** The plaintext of the vault. Never leaves the worker; its JSON is what AES-GCM encrypts. */
export interface MasterSecret {
  v: 1;
  kind: 'mnemonic' | 'privateKey';
  /** Only for `kind: 'mnemonic'`: the normalised phrase, kept so accounts can be re-derived. */
  mnemonic?: string;
  /** Account i's private key, 64 hex digits, no 0x. */
  keys: string[];
}

/** An unlocked account: its checksummed address and private key. */
export interface MasterAccount {
  address: string;
  privateKey: Uint8Array;
}

/** Thrown for a mnemonic or key that is not valid; the message never quotes it. */
export class InvalidSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSecretError';
  }
}

/** A fresh English mnemonic of 12 or 24 words from the CSPRNG. */
export const generateMnemonic = (words: 12 | 24 = 12): string => scureGenerate(wordlist, words === 24 ? 256 : 128);

/** Lower case, single spaces, NFKD: how BIP-39 wants a phrase. */
export const normaliseMnemonic = (m: string): string => m.normalize('NFKD').trim().toLowerCase().split(/\s+/).join(' ');

/** `m/44'/60'/0'/0/i`, the path of account i in every Ethereum wallet. */
export const accountPath = (i: number): string => `m/44'/60'/0'/0/${i}`;

/** The checksummed (EIP-55) address of a private key. */
export const addressOf = (privateKey: Uint8Array): string => addr.fromPrivateKey(privateKey);

/**
 * Derives the secret and its accounts from what the user gave.
 * @throws InvalidSecretError for an invalid mnemonic (words or checksum), key, or account count
 */
export async function deriveSecret(source: MasterSource): Promise<MasterSecret> {
  if (source.kind === 'privateKey') {
    const hex = source.privateKey.trim().replace(/^0x/i, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new InvalidSecretError('The private key must be 64 hexadecimal digits (optionally 0x-prefixed).');
    if (!secp256k1.utils.isValidSecretKey(hexToBytes(hex))) throw new InvalidSecretError('That is not a valid secp256k1 private key.');
    return { v: 1, kind: 'privateKey', keys: [hex] };
  }
  const mnemonic = normaliseMnemonic(source.mnemonic);
  if (!validateMnemonic(mnemonic, wordlist)) {
    throw new InvalidSecretError('That recovery phrase is not valid: check each word and their order.');
  }
  if (!Number.isSafeInteger(source.accounts) || source.accounts < 1 || source.accounts > MAX_ACCOUNTS) {
    throw new InvalidSecretError(`accounts must be between 1 and ${MAX_ACCOUNTS}.`);
  }
  const root = HDKey.fromMasterSeed(await mnemonicToSeedWebcrypto(mnemonic));
  const keys: string[] = [];
  for (let i = 0; i < source.accounts; i++) {
    const key = root.derive(accountPath(i)).privateKey;
    if (!key) throw new InvalidSecretError('Could not derive an account from that phrase.');
    keys.push(bytesToHex(key));
  }
  return { v: 1, kind: 'mnemonic', mnemonic, keys };
}

/**
 * Account `index`'s private key (64 hex digits) from a mnemonic secret, for "add an account".
 * @throws InvalidSecretError when the secret holds no mnemonic or the index is out of range
 */
export async function deriveAccountKey(secret: MasterSecret, index: number): Promise<string> {
  if (secret.kind !== 'mnemonic' || !secret.mnemonic) throw new InvalidSecretError('This vault holds one private key, not a recovery phrase: it cannot derive more accounts.');
  if (!Number.isSafeInteger(index) || index < 0 || index >= MAX_ACCOUNTS) throw new InvalidSecretError(`A vault holds at most ${MAX_ACCOUNTS} accounts.`);
  const key = HDKey.fromMasterSeed(await mnemonicToSeedWebcrypto(secret.mnemonic)).derive(accountPath(index)).privateKey;
  if (!key) throw new InvalidSecretError('Could not derive an account from that phrase.');
  return bytesToHex(key);
}

export const encodeSecret = (s: MasterSecret): Uint8Array => new TextEncoder().encode(JSON.stringify(s));

/**
 * Parses a decrypted secret.
 * @throws InvalidSecretError when the plaintext is not a secret of this format
 */
export function decodeSecret(bytes: Uint8Array): MasterSecret {
  let s: unknown;
  try {
    s = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new InvalidSecretError('The vault holds no readable secret.');
  }
  const o = typeof s === 'object' && s !== null ? fieldsOf<MasterSecret>(s) : {};
  const { v, kind, keys, mnemonic } = o;
  if (
    v !== 1 || (mnemonic !== undefined && typeof mnemonic !== 'string') || (kind !== 'mnemonic' && kind !== 'privateKey') ||
    !Array.isArray(keys) || keys.length < 1 || keys.length > MAX_ACCOUNTS ||
    !keys.every((k) => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k))
  ) {
    throw new InvalidSecretError('The vault holds no readable secret.');
  }
  return mnemonic === undefined ? { v, kind, keys } : { v, kind, keys, mnemonic };
}

/** The accounts of a secret, in order. */
export const accountsOf = (s: MasterSecret): MasterAccount[] =>
  s.keys.map((hex) => {
    const privateKey = hexToBytes(hex);
    return { address: addressOf(privateKey), privateKey };
  });
