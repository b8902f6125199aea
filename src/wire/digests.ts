/**
 * The digests the master-key schemes sign over a payload: the EIP-191 `personal_sign` hash
 * (Secp256k1) and the WebAuthn challenge (Passkey). See `spec/signing.md`.
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { abytes } from './bytes.js';

const PERSONAL_PREFIX = /* @__PURE__ */ new TextEncoder().encode('\x19Ethereum Signed Message:\n');

/**
 * The EIP-191 `personal_sign` digest of a payload, which the Secp256k1 scheme signs:
 * keccak256("\x19Ethereum Signed Message:\n" + decimal byte length + payload).
 * @param payload - the payload bytes
 * @returns 32 bytes
 * @throws TypeError if `payload` is not a Uint8Array
 */
export function personalSignHash(payload: Uint8Array): Uint8Array {
  abytes(payload, undefined, 'payload');
  const len = new TextEncoder().encode(String(payload.length));
  return keccak_256.create().update(PERSONAL_PREFIX).update(len).update(payload).digest();
}

/**
 * The WebAuthn challenge for a payload, which the Passkey scheme signs: SHA-256(payload).
 * @param payload - the payload bytes
 * @returns 32 bytes
 * @throws TypeError if `payload` is not a Uint8Array
 */
export function passkeyChallenge(payload: Uint8Array): Uint8Array {
  return sha256(abytes(payload, undefined, 'payload'));
}
