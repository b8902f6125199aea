/**
 * The vault's encryption at rest, with WebCrypto only: PBKDF2-HMAC-SHA256 stretches the password
 * into 512 bits; the first 256 are the AES-256-GCM key, the last 256 (hashed once more) a check
 * value that tells a wrong password from a damaged record. The record stores every parameter it
 * was made with, so the parameters can be raised later (`needsRekey`).
 * @module
 */

/** The record format's version. */
export const VAULT_FORMAT = 1;
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

/** The vault as stored in IndexedDB (`vault` store, id "master"). */
export type VaultRecord = {
  id: 'master';
  format: typeof VAULT_FORMAT;
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

/** The bytes bound to the ciphertext: everything in the record a change of which must be noticed. */
function additionalData(r: Pick<VaultRecord, 'format' | 'kdf' | 'accounts'>): Uint8Array<ArrayBuffer> {
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

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
};

/**
 * Encrypts `plaintext` under `password` into a new record with a fresh salt and IV.
 * @throws RangeError if `iterations` is not a positive safe integer.
 */
export async function seal(
  plaintext: Uint8Array,
  password: string,
  accounts: string[],
  nowMs: number,
  iterations = DEFAULT_ITERATIONS,
  createdAt = nowMs,
): Promise<VaultRecord> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('iterations must be a positive integer');
  const kdf: KdfParams = { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: crypto.getRandomValues(new Uint8Array(SALT_BYTES)) };
  const cipher: CipherParams = { name: 'AES-GCM', length: 256, iv: crypto.getRandomValues(new Uint8Array(IV_BYTES)) };
  const { key, check } = await stretch(password, kdf);
  const head = { format: VAULT_FORMAT as typeof VAULT_FORMAT, kdf, accounts: [...accounts] };
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: buf(cipher.iv), additionalData: additionalData(head) }, key, buf(plaintext)),
  );
  return { id: 'master', ...head, cipher, check, ciphertext, createdAt, updatedAt: nowMs };
}

/**
 * Decrypts a record.
 * @throws WrongPasswordError when the password does not match
 * @throws DamagedVaultError when it matches but the record fails authentication
 */
export async function open(record: VaultRecord, password: string): Promise<Uint8Array> {
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

/** Whether a record was made with weaker parameters than today's, so it should be re-encrypted. */
export const needsRekey = (record: VaultRecord, iterations = DEFAULT_ITERATIONS): boolean =>
  record.format !== VAULT_FORMAT || record.kdf.iterations < iterations;
