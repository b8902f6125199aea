/**
 * The master key as a signer for the rest of the worker: service payloads of signature type 2
 * (`spec/signing.md` §4.2) and the vault's state. Callers are responsible for the user's
 * approval; this module only refuses when there is no unlocked master.
 * @module
 */
import { unauthorized } from '../../src/protocol/errors.js';
import type { WorkerDeps } from '../deps.js';
import { compressedPublicKey, personalSign } from './eth-sign.js';
import { masterEntry } from '../audit/entries.js';
import type { MasterSignMethod } from '../db.js';

/** How a master signature goes in the activity log. */
export interface MasterLog {
  /** Who asked: the site whose session logs in, or the service a popup call goes to. */
  origin: string;
  method: MasterSignMethod;
  /** Set when `payload` is a wire payload (`spec/signing.md`): the log keeps its request type and request id. */
  wire?: boolean;
}

export interface MasterSignature {
  /** 65 bytes r‖s‖v, v 27|28, over the EIP-191 personal_sign hash of the payload bytes. */
  signature: Uint8Array;
  /** 33-byte compressed secp256k1 public key. */
  publicKey: Uint8Array;
  /** Checksummed address. */
  address: string;
}

/**
 * Signs `payload` with the master key of `account` (the first account when absent), and logs
 * it in the activity log as `log` says (never the payload itself).
 * @throws ProviderRpcError 4100 when there is no vault, it is locked, or `account` is not one of its accounts
 */
export async function signPayloadWithMaster(deps: WorkerDeps, payload: Uint8Array, account: string | undefined, log: MasterLog): Promise<MasterSignature> {
  const accounts = await deps.vault.accounts();
  const chosen = account === undefined ? accounts[0] : accounts.find((a) => a.address.toLowerCase() === account.toLowerCase());
  if (!chosen) throw unauthorized('That account is not in Keyhold\'s vault.');
  const signature = personalSign(payload, chosen.privateKey);
  deps.audit.record(masterEntry(log.origin, log.method, chosen.address, deps.now(), log.wire ? { payload } : {}));
  return { signature, publicKey: compressedPublicKey(chosen.privateKey), address: chosen.address };
}
