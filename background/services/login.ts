/**
 * Logging a session in at its service: the CreateSession payload the master signs, the login
 * envelope for each kind of master, and the call to `POST /api/v1/login` with its answer checked.
 * @module
 */
import { byteAt } from '../../src/wire/bytes.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { fromBase64, toBase64 } from '../../src/encoding/base64.js';
import { invalidParams } from '../../src/protocol/errors.js';
import type { LoginProof, MasterKind } from '../../src/protocol/page-api.js';
import { personalSignHash } from '../../src/wire/digests.js';
import { encodeEnvelope, encodePasskeyEnvelope, type MasterEnvelope } from '../../src/wire/envelope.js';
import { LOGIN_AUTH_WINDOW_MS, loginMessage, type LoginMaster } from '../../src/wire/login-message.js';
import { isUuidString } from '../../src/wire/uuidv7.js';
import type { SessionRecord } from '../db.js';
import { ServiceClient, requireSuccess, serviceFailed } from './client.js';
import { member, serviceMessage, type HttpClient } from './http.js';

export const LOGIN_PATH = '/api/v1/login';

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 letters and digits from the CSPRNG (about 95 bits): the login's single-use nonce. */
export function loginNonce(): string {
  let out = '';
  while (out.length < 16) {
    for (const b of crypto.getRandomValues(new Uint8Array(24))) {
      // 248 = 4 × 62: rejecting above it keeps every character equally likely.
      if (b < 248 && out.length < 16) out += NONCE_ALPHABET[b % 62];
    }
  }
  return out;
}

/**
 * The login bytes for `record` (`spec/signing.md` §8): the bound, readable message naming the
 * site (`record.origin`), the audience (the service) and the session's terms, as UTF-8.
 */
export function loginPayload(record: SessionRecord, baseUrl: string, master: LoginMaster, nowMs: number): Uint8Array {
  const text = loginMessage({
    site: record.origin,
    audience: baseUrl,
    sessionId: record.id,
    publicKey: record.publicKey,
    role: record.role,
    subaccountIndex: record.subaccountIndex,
    requestTypes: record.requestTypes,
    validUntilMs: record.validUntil,
    issuedAtMs: nowMs,
    expiresAtMs: nowMs + LOGIN_AUTH_WINDOW_MS,
    nonce: loginNonce(),
    master,
  });
  return new TextEncoder().encode(text);
}

/**
 * The envelope for the page's own master's proof. A secp256k1 signature must recover to a key:
 * the recovered compressed key is the envelope's `public_key`.
 * @throws ProviderRpcError -32602 when the proof does not fit the session's master.
 */
export function envelopeFor(payload: Uint8Array, master: MasterKind, proof: LoginProof): MasterEnvelope {
  if (proof.kind === 'passkey') {
    if (master !== 'passkey') throw invalidParams('This session was created for a secp256k1 master; complete it with signature.');
    return encodePasskeyEnvelope(payload, proof);
  }
  if (master !== 'secp256k1') throw invalidParams('This session was created for a passkey master; complete it with passkey.');
  return encodeEnvelope(payload, recoverMasterKey(payload, proof.signature), proof.signature);
}

/** The compressed key that signed `payload` (EIP-191), from a 65-byte r‖s‖v signature. */
export function recoverMasterKey(payload: Uint8Array, signature: Uint8Array): Uint8Array {
  const recovered = new Uint8Array(65);
  recovered[0] = byteAt(signature, 64) - 27;
  recovered.set(signature.subarray(0, 64), 1);
  try {
    return secp256k1.recoverPublicKey(recovered, personalSignHash(payload), { prehash: false });
  } catch {
    throw invalidParams('signature is not a valid secp256k1 signature of loginMessage.');
  }
}

export interface LoginAccepted {
  deviceKey: Uint8Array;
  /** The id the service gave the session: Keyhold's own, or one the service assigned (lower case). */
  serviceSessionId: string;
}

/**
 * Posts the login and checks the answer: `{device_key, session}` where `session.id` is a UUID —
 * Keyhold's proposed id, or the service's own (services may assign ids), in which case
 * `session.public_key` must name this session's key — and `session.public_key`, whenever
 * present, is this session's key.
 * @throws ProviderRpcError 4100 when the service refuses, -32603 when it fails or cannot be reached.
 */
export async function postLogin(
  http: HttpClient,
  baseUrl: string,
  session: { id: string; publicKey: Uint8Array },
  envelope: MasterEnvelope,
): Promise<LoginAccepted> {
  const answer = await new ServiceClient(http, baseUrl).post(LOGIN_PATH, envelope);
  if (answer.status === 400) throw invalidParams(`The service rejected the login as malformed (${serviceMessage(answer)}).`);
  requireSuccess(baseUrl, answer, 'the login');
  const deviceKeyText = member(answer.body, 'device_key');
  let deviceKey: Uint8Array | undefined;
  try {
    if (typeof deviceKeyText === 'string') deviceKey = fromBase64(deviceKeyText, 'device_key');
  } catch {
    // not canonical base64: no valid device key
  }
  if (!deviceKey) throw serviceFailed(baseUrl, 'its answer had no valid device_key');
  if (deviceKey.length < 16 || deviceKey.length > 512) throw serviceFailed(baseUrl, 'its device_key has an implausible length');
  // A RevokeSession body carries the id as 16 bytes, so the service's id must be a UUID.
  const id = member(answer.body, 'session', 'id');
  if (!isUuidString(id)) throw serviceFailed(baseUrl, 'its answer has no session id (a UUID)');
  const serviceSessionId = id.toLowerCase();
  // Services may assign their own id; the row then says which key it is for, which must be ours.
  const key = member(answer.body, 'session', 'public_key');
  if (serviceSessionId !== session.id && key === undefined) throw serviceFailed(baseUrl, 'its answer names another session');
  if (key !== undefined && key !== toBase64(session.publicKey)) throw serviceFailed(baseUrl, "its answer names another session's key");
  return { deviceKey, serviceSessionId };
}
