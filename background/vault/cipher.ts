/**
 * The vault's encryption at rest, with WebCrypto only.
 *
 * Format 2 (today's): the secret is encrypted (AES-256-GCM) under a random 256-bit **vault key**,
 * and the vault key is stored wrapped once per way in: by the password (PBKDF2-HMAC-SHA256
 * stretches it into 512 bits, the first 256 the wrapping key, the last 256, hashed once more, a
 * check value that tells a wrong password from a damaged record) and by each enrolled passkey
 * (HKDF-SHA256 of the WebAuthn PRF output; `passkey-wrap.ts`). A new password or a new passkey
 * re-wraps the vault key and leaves the encrypted secret as it is.
 *
 * Format 1 (before passkeys): the password's PBKDF2 key encrypted the secret directly. Such a
 * record still opens (`openV1`) and is rewritten as format 2 on its next unlock.
 *
 * The record stores every parameter it was made with, so they can be raised later (`needsRekey`).
 * @module
 */
import { equalBytes } from '@noble/curves/utils.js';

/** The record format written today. */
export const VAULT_FORMAT: VaultRecordV2['format'] = 2;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_ITERATIONS = 600_000;
const SALT_BYTES = 16;
const IV_BYTES = 12;

export type KdfParams = {
  name: 'PBKDF2';
  hash: 'SHA-256';
  iterations: number;
  salt: Uint8Array;
};

export type CipherParams = {
  name: 'AES-GCM';
  length: 256;
  iv: Uint8Array;
};

/** A format-1 record (the password's key encrypts the secret directly); still opened, never written. */
export type VaultRecordV1 = {
  id: 'master';
  format: 1;
  kdf: KdfParams;
  cipher: CipherParams;
  /** SHA-256 of the second half of the PBKDF2 output: recognises the right password. */
  check: Uint8Array;
  /** The accounts' checksummed addresses, in clear so a locked vault can name them; bound to the ciphertext as AES-GCM additional data. */
  accounts: string[];
  /** AES-GCM of the JSON secret (see `secret.ts`), with its 16-byte tag. */
  ciphertext: Uint8Array;
  /** ms since the epoch. */
  createdAt: number;
  updatedAt: number;
};

/** The vault key wrapped (AES-256-GCM, its 16-byte tag appended) by one way in. */
export type Wrap = { iv: Uint8Array; wrapped: Uint8Array };

/** A passkey enrolled to unlock the vault through the WebAuthn PRF extension. */
export type PasskeyWrap = Wrap & {
  /** The credential's raw id. */
  credentialId: Uint8Array;
  /** The PRF input (`prf.eval.first`) this credential is asked with, 32 random bytes. */
  prfSalt: Uint8Array;
  /** The user's name for it (at most 64 characters). */
  name: string;
  /** ms since the epoch. */
  createdAt: number;
};

/** The vault as stored in IndexedDB (`vault` store, id "master"), format 2. */
export type VaultRecordV2 = {
  id: 'master';
  format: 2;
  /** 'mnemonic' vaults can derive more accounts; in clear (and authenticated) so a locked vault can say so. */
  kind: 'mnemonic' | 'privateKey';
  /** The password's KDF; its key wraps the vault key (`passwordWrap`). */
  kdf: KdfParams;
  /** SHA-256 of the second half of the PBKDF2 output: recognises the right password. */
  check: Uint8Array;
  passwordWrap: Wrap;
  /** Passkeys that unlock the vault too; the password always does. */
  passkeys: PasskeyWrap[];
  cipher: CipherParams;
  /** The accounts' checksummed addresses, in clear so a locked vault can name them; bound to the ciphertext. */
  accounts: string[];
  /** AES-GCM of the JSON secret under the vault key, with its 16-byte tag. */
  ciphertext: Uint8Array;
  createdAt: number;
  updatedAt: number;
};

export type VaultRecord = VaultRecordV1 | VaultRecordV2;

/** Thrown when the password does not match the record. */
export class WrongPasswordError extends Error {
  constructor() {
    super('Wrong password.');
    this.name = 'WrongPasswordError';
  }
}

/** Thrown when the password matches but the record fails authentication (tampered or corrupt). */
export class DamagedVaultError extends Error {
  constructor() {
    super('The vault record is damaged: it fails authentication.');
    this.name = 'DamagedVaultError';
  }
}

const enc = new TextEncoder();
const buf = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

/** Format 1: the bytes bound to the ciphertext: everything in the record a change of which must be noticed. */
function additionalData(r: Pick<VaultRecordV1, 'format' | 'kdf' | 'accounts'>): Uint8Array<ArrayBuffer> {
  return enc.encode(JSON.stringify(['keyhold-vault', r.format, r.kdf.name, r.kdf.hash, r.kdf.iterations, [...r.kdf.salt], r.accounts]));
}

async function stretch(password: string, kdf: KdfParams): Promise<{ key: CryptoKey; check: Uint8Array }> {
  const base = await crypto.subtle.importKey('raw', enc.encode(password.normalize('NFKC')), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: kdf.hash, iterations: kdf.iterations, salt: buf(kdf.salt) }, base, 512),
  );
  const key = await crypto.subtle.importKey('raw', bits.slice(0, 32), { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const check = new Uint8Array(await crypto.subtle.digest('SHA-256', bits.slice(32)));
  bits.fill(0);
  return { key, check };
}

const sameBytes = equalBytes;

/**
 * Format 1, kept to test the upgrade: encrypts `plaintext` directly under `password`'s key.
 * @throws RangeError if `iterations` is not a positive safe integer.
 */
export async function sealV1(
  plaintext: Uint8Array,
  password: string,
  accounts: string[],
  nowMs: number,
  iterations = DEFAULT_ITERATIONS,
  createdAt = nowMs,
): Promise<VaultRecordV1> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('iterations must be a positive integer');
  const kdf: KdfParams = { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: crypto.getRandomValues(new Uint8Array(SALT_BYTES)) };
  const cipher: CipherParams = { name: 'AES-GCM', length: 256, iv: crypto.getRandomValues(new Uint8Array(IV_BYTES)) };
  const { key, check } = await stretch(password, kdf);
  const head = { format: 1 as const, kdf, accounts: [...accounts] };
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: buf(cipher.iv), additionalData: additionalData(head) }, key, buf(plaintext)),
  );
  return { id: 'master', ...head, cipher, check, ciphertext, createdAt, updatedAt: nowMs };
}

/**
 * Decrypts a format-1 record.
 * @throws WrongPasswordError when the password does not match
 * @throws DamagedVaultError when it matches but the record fails authentication
 */
export async function openV1(record: VaultRecordV1, password: string): Promise<Uint8Array> {
  const { key, check } = await stretch(password, record.kdf);
  if (!sameBytes(check, record.check)) throw new WrongPasswordError();
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: buf(record.cipher.iv), additionalData: additionalData(record) }, key, buf(record.ciphertext)),
    );
  } catch {
    throw new DamagedVaultError();
  }
}

// ---- format 2 ----

/** A fresh random 256-bit vault key (raw bytes: it is kept, unlocked, in `storage.session`). */
export const newVaultKey = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32));

const aesKey = (raw: Uint8Array): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', buf(raw), { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);

async function aesSeal(key: CryptoKey, plaintext: Uint8Array, ad: Uint8Array<ArrayBuffer>): Promise<Wrap> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ad }, key, buf(plaintext)));
  return { iv, wrapped };
}

/** @returns null when authentication fails */
async function aesOpen(key: CryptoKey, w: Wrap, ad: Uint8Array<ArrayBuffer>): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: buf(w.iv), additionalData: ad }, key, buf(w.wrapped)));
  } catch {
    return null;
  }
}

const dataAd = (r: Pick<VaultRecordV2, 'format' | 'kind' | 'accounts'>) => enc.encode(JSON.stringify(['keyhold-vault-data', r.format, r.kind, r.accounts]));
const passwordAd = (kdf: KdfParams) => enc.encode(JSON.stringify(['keyhold-vault-key', 'password', kdf.name, kdf.hash, kdf.iterations, [...kdf.salt]]));
const passkeyAd = (credentialId: Uint8Array, prfSalt: Uint8Array) => enc.encode(JSON.stringify(['keyhold-vault-key', 'passkey', [...credentialId], [...prfSalt]]));

/** The password's way in: a fresh salt, its check value, and the vault key wrapped by its key. */
export async function wrapForPassword(vaultKey: Uint8Array, password: string, iterations = DEFAULT_ITERATIONS): Promise<Pick<VaultRecordV2, 'kdf' | 'check' | 'passwordWrap'>> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('iterations must be a positive integer');
  const kdf: KdfParams = { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: crypto.getRandomValues(new Uint8Array(SALT_BYTES)) };
  const { key, check } = await stretch(password, kdf);
  return { kdf, check, passwordWrap: await aesSeal(key, vaultKey, passwordAd(kdf)) };
}

/**
 * The vault key, by the password.
 * @throws WrongPasswordError when the password does not match
 * @throws DamagedVaultError when it matches but the wrapped key fails authentication
 */
export async function unwrapWithPassword(record: VaultRecordV2, password: string): Promise<Uint8Array> {
  const { key, check } = await stretch(password, record.kdf);
  if (!sameBytes(check, record.check)) throw new WrongPasswordError();
  const vaultKey = await aesOpen(key, record.passwordWrap, passwordAd(record.kdf));
  if (!vaultKey || vaultKey.length !== 32) throw new DamagedVaultError();
  return vaultKey;
}

/** Thrown when a passkey's PRF output does not unwrap the vault key (another passkey, or another PRF input). */
export class WrongPasskeyError extends Error {
  constructor() {
    super('That passkey does not unlock this vault.');
    this.name = 'WrongPasskeyError';
  }
}

/** HKDF-SHA256 of the PRF output into the AES-256-GCM key that wraps the vault key. */
async function passkeyKey(prfOutput: Uint8Array, prfSalt: Uint8Array): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', buf(prfOutput), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: buf(prfSalt), info: enc.encode('keyhold vault key wrap v1') },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** A passkey's way in: the vault key wrapped by the key derived from the credential's PRF output. */
export async function wrapForPasskey(
  vaultKey: Uint8Array,
  p: { credentialId: Uint8Array; prfSalt: Uint8Array; prfOutput: Uint8Array; name: string; createdAt: number },
): Promise<PasskeyWrap> {
  const w = await aesSeal(await passkeyKey(p.prfOutput, p.prfSalt), vaultKey, passkeyAd(p.credentialId, p.prfSalt));
  return { ...w, credentialId: new Uint8Array(p.credentialId), prfSalt: new Uint8Array(p.prfSalt), name: p.name, createdAt: p.createdAt };
}

/**
 * The vault key, by a passkey's PRF output.
 * @throws WrongPasskeyError when the credential is not enrolled or its output does not unwrap
 */
export async function unwrapWithPasskey(record: VaultRecordV2, credentialId: Uint8Array, prfOutput: Uint8Array): Promise<Uint8Array> {
  const p = record.passkeys.find((k) => sameBytes(k.credentialId, credentialId));
  if (!p) throw new WrongPasskeyError();
  const vaultKey = await aesOpen(await passkeyKey(prfOutput, p.prfSalt), p, passkeyAd(p.credentialId, p.prfSalt));
  if (!vaultKey || vaultKey.length !== 32) throw new WrongPasskeyError();
  return vaultKey;
}

/** The secret encrypted under the vault key, bound to the record's format, kind and accounts. */
export async function encryptData(
  vaultKey: Uint8Array,
  plaintext: Uint8Array,
  head: Pick<VaultRecordV2, 'kind' | 'accounts'>,
): Promise<Pick<VaultRecordV2, 'format' | 'kind' | 'accounts' | 'cipher' | 'ciphertext'>> {
  const h: Pick<VaultRecordV2, 'format' | 'kind' | 'accounts'> = { format: VAULT_FORMAT, kind: head.kind, accounts: [...head.accounts] };
  const { iv, wrapped } = await aesSeal(await aesKey(vaultKey), plaintext, dataAd(h));
  return { ...h, cipher: { name: 'AES-GCM', length: 256, iv }, ciphertext: wrapped };
}

/**
 * The secret, by the vault key.
 * @throws DamagedVaultError when the record fails authentication
 */
export async function decryptData(record: VaultRecordV2, vaultKey: Uint8Array): Promise<Uint8Array> {
  const out = await aesOpen(await aesKey(vaultKey), { iv: record.cipher.iv, wrapped: record.ciphertext }, dataAd(record));
  if (!out) throw new DamagedVaultError();
  return out;
}

/** A new format-2 record: a fresh vault key, the secret under it, the password's way in. */
export async function seal(
  plaintext: Uint8Array,
  password: string,
  head: Pick<VaultRecordV2, 'kind' | 'accounts'>,
  nowMs: number,
  iterations = DEFAULT_ITERATIONS,
  createdAt = nowMs,
): Promise<{ record: VaultRecordV2; vaultKey: Uint8Array }> {
  const vaultKey = newVaultKey();
  const pw = await wrapForPassword(vaultKey, password, iterations);
  const data = await encryptData(vaultKey, plaintext, head);
  return { record: { id: 'master', ...data, ...pw, passkeys: [], createdAt, updatedAt: nowMs }, vaultKey };
}

/** Whether a record was made with weaker parameters than today's, so it should be re-encrypted. */
export const needsRekey = (record: VaultRecord, iterations = DEFAULT_ITERATIONS): boolean =>
  record.format !== VAULT_FORMAT || record.kdf.iterations < iterations;
