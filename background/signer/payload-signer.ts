/**
 * Builds canonical payloads, and signs them with a session key: the one place a session key
 * signs, and the one place the worker chooses a payload's request id (a fresh UUIDv7) and auth
 * window (now … now + 60 s), never the page.
 * @module
 */
import { AUTH_WINDOW_MS, SignatureType, encodePayload } from '../../src/wire/payload.js';
import { uuidv7 } from '../../src/wire/uuidv7.js';

export interface SignedPayload {
  payload: Uint8Array;
  signature: Uint8Array;
}

/** `Header || RequestId || Body || Auth` with a fresh request id and the auth window starting now. */
export function freshPayload(signatureType: SignatureType, requestType: number, body: Uint8Array, nowMs: number): Uint8Array {
  return encodePayload({
    signatureType,
    requestType,
    requestId: uuidv7(nowMs),
    body,
    issuedAtMs: nowMs,
    expiresAtMs: nowMs + AUTH_WINDOW_MS,
  });
}

export async function signSessionPayload(privateKey: CryptoKey, requestType: number, body: Uint8Array, nowMs: number): Promise<SignedPayload> {
  const payload = freshPayload(SignatureType.Ed25519, requestType, body, nowMs);
  const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, payload as Uint8Array<ArrayBuffer>));
  return { payload, signature };
}
