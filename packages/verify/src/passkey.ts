/**
 * Signature type 3 (`spec/signing.md` §4.3): a WebAuthn assertion whose challenge is
 * SHA-256(payload), checked as WebAuthn Level 2 §7.2 asks against a registered credential, its
 * ES256 signature verified by WebCrypto.
 * @module
 */
import { encodeBase64url, equalBytes } from './base64.js';
import { buf } from './ed25519.js';
import { badRequest, unauthorized } from './errors.js';
import type { PasskeyAssertion } from './transport.js';

/** A passkey the service registered: its public key and the relying party it belongs to. */
export interface PasskeyCredential {
  /** The credential's P-256 public key, DER SubjectPublicKeyInfo. */
  publicKeySpki: Uint8Array;
  /** The relying party id its assertions carry (authenticator data rpIdHash). */
  rpId: string;
  /** The exact origin its client data must name. */
  origin: string;
}

const USER_PRESENT = 0x01;
/** rpIdHash(32) + flags(1) + signCount(4). */
const MIN_AUTHENTICATOR_DATA = 37;

const sha256 = async (b: Uint8Array): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', buf(b)));

/** A DER ECDSA signature as the 64-byte r ‖ s WebCrypto verifies; null when malformed. */
export function derToRaw(der: Uint8Array): Uint8Array | null {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return null;
  const out = new Uint8Array(64);
  let at = 2;
  for (const offset of [0, 32]) {
    if (der[at] !== 0x02) return null;
    const len = der[at + 1] ?? 0;
    let int = der.subarray(at + 2, at + 2 + len);
    if (int.length !== len || len === 0) return null;
    while (int.length > 1 && int[0] === 0) int = int.subarray(1);
    if (int.length > 32) return null;
    out.set(int, offset + 32 - int.length);
    at += 2 + len;
  }
  return at === der.length ? out : null;
}

/**
 * Verifies a passkey assertion over `payload`. signCount is not checked.
 * @throws VerifyError 400 `bad_client_data`, `bad_authenticator_data`; 401 `public_key_mismatch`,
 *   `passkey_wrong_type`, `passkey_challenge_mismatch`, `passkey_origin_not_allowed`,
 *   `passkey_rp_id_mismatch`, `passkey_user_not_present`, `bad_signature`
 */
export async function verifyPasskey(
  payload: Uint8Array,
  assertion: PasskeyAssertion & { signature: Uint8Array; publicKey: Uint8Array | null },
  credential: PasskeyCredential,
): Promise<void> {
  if (assertion.publicKey !== null && !equalBytes(assertion.publicKey, credential.publicKeySpki)) {
    throw unauthorized('public_key_mismatch', 'public_key is not the registered key of this credential');
  }
  const client = parseClientData(assertion.clientDataJson);
  if (client.type !== 'webauthn.get') throw unauthorized('passkey_wrong_type', `client_data_json type must be 'webauthn.get', got '${client.type}'`);
  if (client.challenge !== encodeBase64url(await sha256(payload))) {
    throw unauthorized('passkey_challenge_mismatch', 'client_data_json challenge is not base64url(SHA-256(payload))');
  }
  if (client.origin !== credential.origin) throw unauthorized('passkey_origin_not_allowed', `origin '${client.origin}' is not this credential's origin`);
  const auth = assertion.authenticatorData;
  if (auth.length < MIN_AUTHENTICATOR_DATA) throw badRequest('bad_authenticator_data', `authenticator_data must be at least ${MIN_AUTHENTICATOR_DATA} bytes`);
  if (!equalBytes(await sha256(new TextEncoder().encode(credential.rpId)), auth.subarray(0, 32))) {
    throw unauthorized('passkey_rp_id_mismatch', 'authenticator_data rpIdHash is not SHA-256 of the registered rp_id');
  }
  if (((auth[32] ?? 0) & USER_PRESENT) === 0) throw unauthorized('passkey_user_not_present', 'authenticator_data does not have the user-present flag');
  const clientHash = await sha256(assertion.clientDataJson);
  const signed = new Uint8Array(auth.length + 32);
  signed.set(auth, 0);
  signed.set(clientHash, auth.length);
  const raw = derToRaw(assertion.signature);
  let ok = false;
  if (raw !== null) {
    try {
      const key = await crypto.subtle.importKey('spki', buf(credential.publicKeySpki), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, buf(raw), signed);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw unauthorized('bad_signature', 'passkey signature does not verify with the registered key');
}

function parseClientData(bytes: Uint8Array): { type: string; challenge: string; origin: string } {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw badRequest('bad_client_data', 'client_data_json is not UTF-8 JSON');
  }
  if (
    typeof v !== 'object' || v === null || !('type' in v) || typeof v.type !== 'string' ||
    !('challenge' in v) || typeof v.challenge !== 'string' || !('origin' in v) || typeof v.origin !== 'string'
  ) {
    throw badRequest('bad_client_data', 'client_data_json needs string members type, challenge and origin');
  }
  return { type: v.type, challenge: v.challenge, origin: v.origin };
}
