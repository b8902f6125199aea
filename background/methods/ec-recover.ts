/**
 * `personal_ecRecover`: the address that `personal_sign`ed a message (EIP-191). Pure
 * arithmetic on the page's own inputs: no node, no key, no approval, no connection needed.
 * @module
 */
import { byteAt } from '../../src/wire/bytes.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { invalidParams } from '../../src/protocol/errors.js';
import type { EcRecoverParams } from '../../src/protocol/wallet-api.js';
import { personalSignHash } from '../../src/wire/digests.js';

/** The signer's address, lower case; v may be 27|28 or 0|1. @throws ProviderRpcError -32602 */
export function recoverPersonal(message: Uint8Array, signature: Uint8Array): string {
  const v = byteAt(signature, 64);
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) throw invalidParams('personal_ecRecover signature v must be 27, 28, 0 or 1.');
  try {
    const recovered = new Uint8Array(65);
    recovered[0] = recovery;
    recovered.set(signature.subarray(0, 64), 1);
    const point = secp256k1.Signature.fromBytes(recovered, 'recovered').recoverPublicKey(personalSignHash(message));
    return `0x${bytesToHex(keccak_256(point.toBytes(false).subarray(1)).subarray(12))}`;
  } catch {
    throw invalidParams('personal_ecRecover signature does not recover to an address (r or s out of range, or no such point).');
  }
}

export const ecRecover = async (_deps: unknown, p: EcRecoverParams): Promise<string> => recoverPersonal(p.message, p.signature);
