/**
 * `ecrecover` of an EIP-191 `personal_sign` over a text message, for the API-key endpoints:
 * the signer's address from `{r, s, v}`. High-s signatures recover nothing (as the session
 * endpoints refuse them).
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { personalSignHash } from './secp256k1.js';

/** A personal_sign signature split as the API-key endpoints take it. */
export interface RsvSignature {
  r: Uint8Array;
  s: Uint8Array;
  /** 0 or 1 */
  recovery: number;
}

/** The signer's address (0x + 40 lower-case hex digits), or null when nothing recovers. Never throws. */
export function recoverAddress(message: string, sig: RsvSignature): string | null {
  try {
    const bytes = new Uint8Array(65);
    bytes[0] = sig.recovery;
    bytes.set(sig.r, 1);
    bytes.set(sig.s, 33);
    const signature = secp256k1.Signature.fromBytes(bytes, 'recovered');
    if (signature.hasHighS()) return null;
    const point = signature.recoverPublicKey(personalSignHash(new TextEncoder().encode(message)));
    return `0x${Buffer.from(keccak_256(point.toBytes(false).subarray(1)).subarray(12)).toString('hex')}`;
  } catch {
    return null;
  }
}
