/**
 * A page's own secp256k1 wallet for the end-to-end tests: what a dapp's wallet does when it
 * `personal_sign`s Keyhold's login payload. Bundled into the test page; not part of Keyhold.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

const secret = secp256k1.utils.randomSecretKey();
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** personal_sign of raw bytes: 0x r‖s‖v, v 27|28, over keccak256("\x19Ethereum Signed Message:\n" + len + bytes). */
function personalSign(message: Uint8Array): string {
  const prefix = new TextEncoder().encode(`\x19Ethereum Signed Message:\n${message.length}`);
  const digest = keccak_256(new Uint8Array([...prefix, ...message]));
  const rec = secp256k1.sign(digest, secret, { prehash: false, format: 'recovered' });
  return `0x${hex(rec.subarray(1))}${(27 + rec[0]!).toString(16)}`;
}

/** EIP-55: the address's hex digits upper-cased where keccak256 of them has a nibble ≥ 8. */
function checksummed(uncompressed: Uint8Array): string {
  const lower = hex(keccak_256(uncompressed.subarray(1)).subarray(12));
  const hash = hex(keccak_256(new TextEncoder().encode(lower)));
  return `0x${[...lower].map((c, i) => (parseInt(hash[i]!, 16) >= 8 ? c.toUpperCase() : c)).join('')}`;
}

(window as unknown as { byoMaster: unknown }).byoMaster = {
  publicKey: btoa(String.fromCharCode(...secp256k1.getPublicKey(secret, true))),
  /** The account a SIWE login names (`service.address`). */
  address: checksummed(secp256k1.getPublicKey(secret, false)),
  signLoginPayload: (payloadBase64: string) => personalSign(fromB64(payloadBase64)),
};
