/**
 * What the master key signs, with noble's secp256k1 (deterministic RFC 6979 nonces, low s):
 * EIP-191 `personal_sign` digests and EIP-712 typed data (micro-eth-signer's encoder).
 * @module
 */
import { byteAt } from '../../src/wire/bytes.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { signTyped } from 'micro-eth-signer';
import type { TypedData } from '../../src/protocol/wallet-api.js';
import { personalSignHash } from '../../src/wire/digests.js';

/** 65 bytes r‖s‖v with v 27|28, as Ethereum tooling expects. */
export function signDigest(digest: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const recovered = secp256k1.sign(digest, privateKey, { prehash: false, format: 'recovered' });
  const out = new Uint8Array(65);
  out.set(recovered.subarray(1, 65), 0);
  out[64] = 27 + byteAt(recovered, 0);
  return out;
}

/** EIP-191 `personal_sign` of raw bytes: 65 bytes r‖s‖v. */
export const personalSign = (message: Uint8Array, privateKey: Uint8Array): Uint8Array =>
  signDigest(personalSignHash(message), privateKey);

/** The 33-byte compressed public key. */
export const compressedPublicKey = (privateKey: Uint8Array): Uint8Array => secp256k1.getPublicKey(privateKey, true);

export const toHex0x = (b: Uint8Array): string => `0x${bytesToHex(b)}`;

/** A 65-byte signature split as `{r, s, v}` (0x-hex r and s, v 27|28). */
export const splitSignature = (sig: Uint8Array): { r: string; s: string; v: number } => ({
  r: toHex0x(sig.subarray(0, 32)),
  s: toHex0x(sig.subarray(32, 64)),
  v: byteAt(sig, 64),
});

/**
 * EIP-712 v4 signature, 0x-hex of r‖s‖v.
 * @throws Error when the typed data does not encode (unknown type, value out of range, …)
 */
export function signTypedData(typed: TypedData, privateKey: Uint8Array): string {
  // Deterministic (no extra entropy): the same request signs to the same bytes.
  // micro-eth-signer types typed data from types known when compiling; a page's are known only
  // at run time (checked by wallet-params.ts, and encoded by the library, which throws on a mismatch).
  return signTyped(typed as Parameters<typeof signTyped>[0], privateKey, false);
}
