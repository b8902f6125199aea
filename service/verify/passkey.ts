/**
 * Signature type 3 (`spec/signing.md` §4.3): a WebAuthn assertion whose challenge is
 * SHA-256(payload), checked as WebAuthn Level 2 §7.2 asks against a credential registered with
 * this service, and its ES256 signature verified with `node:crypto`.
 * @module
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import { encodeBase64url } from '../base64.js';
import { badRequest, unauthorized } from '../errors.js';
import type { PasskeyAssertion } from '../envelope.js';

/** A passkey registered with the service (`POST /api/v1/passkeys/register`). */
export interface PasskeyCredential {
  /** standard base64 of the credential id */
  credentialId: string;
  /** the credential's P-256 public key, DER SubjectPublicKeyInfo */
  spki: Uint8Array;
  key: KeyObject;
  rpId: string;
  origin: string;
}

/** Authenticator data flag bits (WebAuthn §6.1). */
const USER_PRESENT = 0x01;
/** rpIdHash(32) + flags(1) + signCount(4). */
const MIN_AUTHENTICATOR_DATA = 37;

const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

/**
 * Verifies a passkey assertion over `payload`. signCount is not checked.
 * @param payload - the payload bytes as received
 * @param assertion - the envelope's authenticator_data, client_data_json and signature, and its
 *   optional public_key (SPKI), which must equal the registered key when present
 * @param credential - the registered credential named by the envelope's credential_id
 * @throws ServiceError 400 `bad_client_data` (not JSON with string members),
 *   `bad_authenticator_data` (under 37 bytes); 401 `public_key_mismatch`, `passkey_wrong_type`,
 *   `passkey_challenge_mismatch`, `passkey_origin_not_allowed`, `passkey_rp_id_mismatch`,
 *   `passkey_user_not_present`, `bad_signature`
 */
export function verifyPasskey(
  payload: Uint8Array,
  assertion: PasskeyAssertion & { signature: Uint8Array; publicKey: Uint8Array | null },
  credential: PasskeyCredential,
): void {
  const { publicKey } = assertion;
  if (publicKey !== null && !Buffer.from(publicKey).equals(Buffer.from(credential.spki))) {
    throw unauthorized('public_key_mismatch', 'public_key is not the registered key of this credential');
  }
  const client = parseClientData(assertion.clientDataJson);
  if (client.type !== 'webauthn.get') {
    throw unauthorized('passkey_wrong_type', `client_data_json type must be 'webauthn.get', got '${client.type}'`);
  }
  if (client.challenge !== encodeBase64url(sha256(payload))) {
    throw unauthorized('passkey_challenge_mismatch', 'client_data_json challenge is not base64url(SHA-256(payload))');
  }
  if (client.origin !== credential.origin) {
    throw unauthorized('passkey_origin_not_allowed', `origin '${client.origin}' is not this credential's origin`);
  }
  const auth = assertion.authenticatorData;
  if (auth.length < MIN_AUTHENTICATOR_DATA) {
    throw badRequest('bad_authenticator_data', `authenticator_data must be at least ${MIN_AUTHENTICATOR_DATA} bytes`);
  }
  if (!sha256(credential.rpId).equals(Buffer.from(auth.subarray(0, 32)))) {
    throw unauthorized('passkey_rp_id_mismatch', 'authenticator_data rpIdHash is not SHA-256 of the registered rp_id');
  }
  if ((auth[32]! & USER_PRESENT) === 0) {
    throw unauthorized('passkey_user_not_present', 'authenticator_data does not have the user-present flag');
  }
  const signed = Buffer.concat([auth, sha256(assertion.clientDataJson)]);
  let ok = false;
  try {
    ok = verify('sha256', signed, { key: credential.key, dsaEncoding: 'der' }, assertion.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw unauthorized('bad_signature', 'passkey signature does not verify with the registered key');
}

interface ClientData {
  type: string;
  challenge: string;
  origin: string;
}

function parseClientData(bytes: Uint8Array): ClientData {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw badRequest('bad_client_data', 'client_data_json is not UTF-8 JSON');
  }
  const v = value as Partial<Record<keyof ClientData, unknown>> | null;
  if (
    typeof v !== 'object' || v === null ||
    typeof v.type !== 'string' || typeof v.challenge !== 'string' || typeof v.origin !== 'string'
  ) {
    throw badRequest('bad_client_data', 'client_data_json needs string members type, challenge and origin');
  }
  return { type: v.type, challenge: v.challenge, origin: v.origin };
}
