/**
 * Signature type 2 (`spec/signing.md` §4.2): secp256k1 ECDSA over the EIP-191 `personal_sign`
 * hash of the payload, `signature = r ‖ s ‖ v`, v ∈ {27, 28}. The key is recovered with
 * `@noble/curves` (WebCrypto has no secp256k1) and must equal the compressed `public_key`.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { equalBytes, toHex } from './base64.js';
import { badRequest } from './errors.js';

/**
 * Checks the shapes of a compressed secp256k1 key and an `r ‖ s ‖ v` signature.
 * @throws VerifyError 400 `bad_public_key_length`, `bad_public_key` (prefix not 02/03),
 *   `bad_signature_length`, `bad_signature_v`
 */
export function assertSecp256k1Shapes(publicKey: Uint8Array | null, signature: Uint8Array): Uint8Array {
  if (publicKey === null || publicKey.length !== 33) {
    throw badRequest('bad_public_key_length', `a secp256k1 public_key is 33 bytes (compressed), got ${publicKey?.length ?? 0}`);
  }
  if (publicKey[0] !== 2 && publicKey[0] !== 3) throw badRequest('bad_public_key', 'a compressed secp256k1 public_key starts with 02 or 03');
  if (signature.length !== 65) throw badRequest('bad_signature_length', `a secp256k1 signature is 65 bytes (r ‖ s ‖ v), got ${signature.length}`);
  if (signature[64] !== 27 && signature[64] !== 28) throw badRequest('bad_signature_v', `secp256k1 signature v must be 27 or 28, got ${signature[64]}`);
  return publicKey;
}

/** keccak256("\x19Ethereum Signed Message:\n" ‖ decimal(len) ‖ message): EIP-191 personal_sign. */
export function personalSignHash(message: Uint8Array): Uint8Array {
  const prefix = new TextEncoder().encode(`\x19Ethereum Signed Message:\n${message.length}`);
  const data = new Uint8Array(prefix.length + message.length);
  data.set(prefix, 0);
  data.set(message, prefix.length);
  return keccak_256(data);
}

/**
 * The compressed key that signed `message` (EIP-191), or null for a malformed or high-s signature.
 */
export function recoverSecp256k1(message: Uint8Array, signature: Uint8Array): Uint8Array | null {
  try {
    // noble's 'recovered' layout is recovery ‖ r ‖ s; the wire's is r ‖ s ‖ (27 + recovery).
    const recovered = new Uint8Array(65);
    recovered[0] = signature[64]! - 27;
    recovered.set(signature.subarray(0, 64), 1);
    const sig = secp256k1.Signature.fromBytes(recovered, 'recovered');
    if (sig.hasHighS()) return null;
    return sig.recoverPublicKey(personalSignHash(message)).toBytes(true);
  } catch {
    return null;
  }
}

/** Recovers the signer and compares it with `publicKey`; high-s fails. Never throws. */
export function verifySecp256k1(message: Uint8Array, publicKey: Uint8Array, signature: Uint8Array): boolean {
  const key = recoverSecp256k1(message, signature);
  return key !== null && equalBytes(key, publicKey);
}

/** The EIP-55-less lower-case Ethereum address of a compressed secp256k1 key. */
export function ethereumAddress(compressed: Uint8Array): string {
  const point = secp256k1.Point.fromBytes(compressed).toBytes(false);
  return `0x${toHex(keccak_256(point.subarray(1)).subarray(12))}`;
}
