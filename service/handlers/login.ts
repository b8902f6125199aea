/**
 * `POST /api/v1/login`: a master (secp256k1 or passkey) registers a session key by signing the
 * bound login message (`spec/signing.md` §8). The service accepts it only when it is the
 * message's audience, serves the message's site, the auth window holds, the signature is the
 * named account's (or the passkey's, from that site), and the nonce is new. Answers a fresh
 * device key and the session row.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { AUTH_WINDOW_MS, MAX_FUTURE_MS } from '../auth-window.js';
import { decodeBase64, encodeBase64 } from '../base64.js';
import { mediaType, parseJsonObject } from '../envelope.js';
import { ServiceError, badRequest, conflict, unauthorized } from '../errors.js';
import { ok, type Handler } from '../handler.js';
import { parseLoginMessage, type LoginMessage } from '../login-message.js';
import { sessionRow } from '../rows.js';
import type { ServiceState } from '../state.js';
import { verifyPasskey } from '../verify/passkey.js';
import { assertSecp256k1Shapes, verifySecp256k1 } from '../verify/secp256k1.js';

const SECP_FIELDS = ['payload', 'public_key', 'signature'];
const PASSKEY_FIELDS = ['payload', 'public_key', 'signature', 'authenticator_data', 'client_data_json', 'credential_id'];

/** The lower-case address of a compressed secp256k1 key. */
function addressOf(compressed: Uint8Array): string {
  const uncompressed = secp256k1.Point.fromBytes(compressed).toBytes(false);
  return `0x${Buffer.from(keccak_256(uncompressed.subarray(1)).subarray(12)).toString('hex')}`;
}

function members(json: Record<string, unknown>, allowed: string[], required: string[]): void {
  for (const key of Object.keys(json)) if (!allowed.includes(key)) throw badRequest('unexpected_field', `login member "${key}" is not allowed`);
  for (const key of required) if (!(key in json)) throw badRequest('missing_field', `login member "${key}" is missing`);
}

/** Checks the signature over the message bytes; answers the master's key, standard base64. */
function verifyMaster(json: Record<string, unknown>, m: LoginMessage, state: ServiceState): string {
  const signature = decodeBase64(json.signature, 'signature');
  if (m.kind === 'secp256k1') {
    members(json, SECP_FIELDS, SECP_FIELDS);
    const publicKey = assertSecp256k1Shapes(decodeBase64(json.public_key, 'public_key'), signature);
    if (!verifySecp256k1(m.bytes, publicKey, signature)) {
      throw unauthorized('bad_signature', 'secp256k1 signature does not recover to public_key (or has high s)');
    }
    if (addressOf(publicKey) !== m.address!.toLowerCase()) {
      throw unauthorized('address_mismatch', 'the login was signed by another account than the one it names');
    }
    return encodeBase64(publicKey);
  }
  members(json, PASSKEY_FIELDS, PASSKEY_FIELDS.filter((k) => k !== 'public_key'));
  const credentialId = decodeBase64(json.credential_id, 'credential_id');
  const credential = state.passkeys.get(encodeBase64(credentialId));
  if (credential === undefined) throw unauthorized('unknown_credential', 'no passkey with this credential_id is registered');
  // The WebAuthn origin binds the site: a passkey used from another origin signs for that origin.
  if (credential.origin !== m.site) throw unauthorized('wrong_site', `this passkey belongs to ${credential.origin}, not to ${m.site}`);
  verifyPasskey(
    m.bytes,
    {
      authenticatorData: decodeBase64(json.authenticator_data, 'authenticator_data'),
      clientDataJson: decodeBase64(json.client_data_json, 'client_data_json'),
      credentialId,
      signature,
      publicKey: 'public_key' in json ? decodeBase64(json.public_key, 'public_key') : null,
    },
    credential,
  );
  return encodeBase64(credential.spki);
}

function checkWindow(m: LoginMessage, nowMs: number): void {
  const length = m.expiresAtMs - m.issuedAtMs;
  if (length <= 0 || length > AUTH_WINDOW_MS) {
    throw unauthorized('auth_window_invalid', `Expiration Time − Issued At must be 1..${AUTH_WINDOW_MS} ms, got ${length}`);
  }
  if (m.issuedAtMs > nowMs + MAX_FUTURE_MS) throw unauthorized('auth_not_yet_valid', 'Issued At is too far ahead of the service clock');
  if (nowMs > m.expiresAtMs) throw unauthorized('auth_expired', `the login expired at ${new Date(m.expiresAtMs).toISOString()}`);
}

export const login: Handler = (req) => {
  const type = mediaType(req.headers['content-type']);
  if (type !== 'application/json') throw new ServiceError(415, 'unsupported_media_type', `a login is application/json, got '${type}'`);
  const json = parseJsonObject(req.body);
  if (!('payload' in json)) throw badRequest('missing_field', 'login member "payload" is missing');
  const m = parseLoginMessage(decodeBase64(json.payload, 'payload'));
  const { state, nowMs } = req;
  if (!state.origins.has(m.audience)) throw unauthorized('wrong_audience', `this login is for ${m.audience}, not for this service`);
  if (!state.sites.has(m.site)) throw unauthorized('site_not_served', `this service does not serve ${m.site}`);
  checkWindow(m, nowMs);
  const master = verifyMaster(json, m, state);
  if (!state.rememberRequest(`login-nonce:${m.nonce}`, m.expiresAtMs, nowMs)) throw conflict('replayed_login', 'this login nonce was already used');
  if (m.validUntilMs <= nowMs) throw badRequest('session_already_expired', 'the session\'s validUntilMs is not in the future');
  const session = {
    id: m.sessionId,
    publicKey: encodeBase64(m.publicKey),
    role: m.role,
    masterPublicKey: master,
    subaccountIndex: m.subaccountIndex,
    createdAtMs: nowMs,
    validUntilMs: m.validUntilMs,
    revoked: false,
    deviceKey: encodeBase64(randomBytes(32)),
  };
  state.addSession(session);
  return ok({ device_key: session.deviceKey, session: sessionRow(session) });
};
