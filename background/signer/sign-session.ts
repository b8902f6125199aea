/**
 * Signs a page's request with a session key, in the encoding the page asked for.
 * @module
 */
import { toBase64 } from '../../src/encoding/base64.js';
import type { BytesEnvelope, FrameResult, JsonEnvelope, SignEncoding } from '../../src/protocol/page-api.js';
import { encodeEnvelope } from '../../src/wire/envelope.js';
import { encodeFrame } from '../../src/wire/payload.js';
import type { LiveSession } from '../sessions/store.js';
import { signSessionPayload } from './payload-signer.js';

/** Builds `Header || RequestId || Body || Auth` for a session key and signs it with Ed25519. */
export async function signWithSession(
  session: LiveSession,
  requestType: number,
  body: Uint8Array,
  encoding: SignEncoding,
  nowMs: number,
): Promise<{ result: JsonEnvelope | FrameResult | BytesEnvelope; payload: Uint8Array }> {
  const { payload, signature } = await signSessionPayload(session.record.privateKey, requestType, body, nowMs);
  if (encoding === 'bytes') return { payload, result: { payload, public_key: session.record.publicKey, signature } };
  if (encoding === 'binary') {
    return { payload, result: { frame: toBase64(encodeFrame({ payload, publicKey: session.record.publicKey, signature })) } };
  }
  return { payload, result: encodeEnvelope(payload, session.publicKeyBase64, signature) };
}
