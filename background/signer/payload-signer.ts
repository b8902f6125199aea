/**
 * Builds a canonical payload for a session key and signs it: the one place a session key signs.
 * The request id and the auth window are chosen here, by the worker, never by the page.
 * @module
 */
import { AUTH_WINDOW_MS, SignatureType, encodePayload } from '../../src/wire/payload.js';
import { uuidv7 } from '../../src/wire/uuidv7.js';

export interface SignedPayload {
  payload: Uint8Array;
  signature: Uint8Array;
}

export async function signSessionPayload(privateKey: CryptoKey, requestType: number, body: Uint8Array, nowMs: number): Promise<SignedPayload> {
  const payload = encodePayload({
    signatureType: SignatureType.Ed25519,
    requestType,
    requestId: uuidv7(nowMs),
    body,
    issuedAtMs: nowMs,
    expiresAtMs: nowMs + AUTH_WINDOW_MS,
  });
  const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, payload as Uint8Array<ArrayBuffer>));
  return { payload, signature };
}
