/**
 * Signs a canonical payload with a session key. The request id and the auth window are chosen
 * here, by the worker, never by the page.
 * @module
 */
import { toBase64 } from '../../src/encoding/base64.js';
import type { FrameResult, JsonEnvelope, SignEncoding } from '../../src/protocol/page-api.js';
import { AUTH_WINDOW_MS, SignatureType, encodeFrame, encodePayload } from '../../src/wire/payload.js';
import { uuidv7 } from '../../src/wire/uuidv7.js';
import type { LiveSession } from '../sessions/store.js';

/** Builds `Header || RequestId || Body || Auth` for a session key and signs it with Ed25519. */
export async function signWithSession(
  session: LiveSession,
  requestType: number,
  body: Uint8Array,
  encoding: SignEncoding,
  nowMs: number,
): Promise<JsonEnvelope | FrameResult> {
  const payload = encodePayload({
    signatureType: SignatureType.Ed25519,
    requestType,
    requestId: uuidv7(nowMs),
    body,
    issuedAtMs: nowMs,
    expiresAtMs: nowMs + AUTH_WINDOW_MS,
  });
  const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', session.record.privateKey, payload as Uint8Array<ArrayBuffer>));
  if (encoding === 'binary') {
    return { frame: toBase64(encodeFrame({ payload, publicKey: session.record.publicKey, signature })) };
  }
  return { payload: toBase64(payload), public_key: session.publicKeyBase64, signature: toBase64(signature) };
}
