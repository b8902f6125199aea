/**
 * Signature type 1 (`spec/signing.md` §4.1): Ed25519 over the payload, verified by
 * `node:crypto` (OpenSSL, which applies RFC 8032's strict checks).
 * @module
 */
import { createPublicKey, verify } from 'node:crypto';
import { badRequest } from '../errors.js';

/** DER SubjectPublicKeyInfo header of a raw Ed25519 key. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Checks the sizes of an Ed25519 key and signature.
 * @throws ServiceError 400 `bad_public_key_length` unless 32 bytes, `bad_signature_length` unless 64
 */
export function assertEd25519Shapes(publicKey: Uint8Array | null, signature: Uint8Array): Uint8Array {
  if (publicKey === null || publicKey.length !== 32) {
    throw badRequest('bad_public_key_length', `an Ed25519 public_key is 32 bytes, got ${publicKey?.length ?? 0}`);
  }
  if (signature.length !== 64) {
    throw badRequest('bad_signature_length', `an Ed25519 signature is 64 bytes, got ${signature.length}`);
  }
  return publicKey;
}

/**
 * Verifies an Ed25519 signature of `message`.
 * @returns false for a bad signature or a key that is not a valid point; never throws
 */
export function verifyEd25519(message: Uint8Array, publicKey: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
