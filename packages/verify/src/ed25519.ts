/**
 * Signature type 1 (`spec/signing.md` §4.1): Ed25519 over the payload, by WebCrypto
 * (`crypto.subtle`, in Node 20+, Bun, Deno, Cloudflare Workers and browsers).
 * @module
 */
import { badRequest } from './errors.js';

/**
 * Checks the sizes of an Ed25519 key and signature.
 * @throws VerifyError 400 `bad_public_key_length` unless 32 bytes, `bad_signature_length` unless 64
 */
export function assertEd25519Shapes(publicKey: Uint8Array | null, signature: Uint8Array): Uint8Array {
  if (publicKey === null || publicKey.length !== 32) {
    throw badRequest('bad_public_key_length', `an Ed25519 public_key is 32 bytes, got ${publicKey?.length ?? 0}`);
  }
  if (signature.length !== 64) throw badRequest('bad_signature_length', `an Ed25519 signature is 64 bytes, got ${signature.length}`);
  return publicKey;
}

/** WebCrypto wants an ArrayBuffer-backed view; a copy also detaches it from caller buffers. */
export const buf = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

/**
 * Verifies an Ed25519 signature of `message`.
 * @returns false for a bad signature or a key that is not a valid point; never throws
 */
export async function verifyEd25519(message: Uint8Array, publicKey: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('raw', buf(publicKey), { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, buf(signature), buf(message));
  } catch {
    return false;
  }
}
