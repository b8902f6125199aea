/**
 * Typed calls for every session method of the page API (`docs/page-api.md`): bodies as bytes or
 * text in, decoded bytes beside the base64 out, failures as {@link KeyholdError}.
 * @module
 */
import { bodyBytes, fromBase64, toBase64, type BodyInput } from './bytes.js';
import { call } from './errors.js';
import type {
  CreateSessionOptions,
  KeyholdProvider,
  RevokeResult,
  SendAnswer,
  Session,
  SessionInfo,
  SignedEnvelope,
  SignedFrame,
  JsonEnvelope,
  FrameResult,
} from './types.js';

/** A {@link Session} from what Keyhold answered. */
export function toSession(info: SessionInfo): Session {
  const session: Session = { ...info, publicKeyBytes: fromBase64(info.publicKey) };
  if (info.loginPayload !== undefined) session.loginPayloadBytes = fromBase64(info.loginPayload);
  return session;
}

/**
 * Asks for a session key (`keyhold_createSession`); the user approves it in Keyhold's window.
 * @throws KeyholdError 4001 rejected, -32602 bad options, -32005 too many approvals waiting
 */
export async function createSession(keyhold: KeyholdProvider, options: CreateSessionOptions): Promise<Session> {
  return toSession(await call(() => keyhold.request({ method: 'keyhold_createSession', params: [options] })));
}

/** The master's proof for a pending session: personal_sign's 0x-hex signature, or a WebAuthn assertion. */
export type LoginProofInput =
  | { signature: string }
  | { passkey: { credentialId: BufferSource; authenticatorData: BufferSource; clientDataJSON: BufferSource; signature: BufferSource } };

const bytesOf = (b: BufferSource): Uint8Array =>
  b instanceof Uint8Array ? b : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);

/**
 * Completes a pending service session with the master's proof over `loginPayload`
 * (`keyhold_completeSession`).
 * @throws KeyholdError 4100 the service refused, -32603 it failed or is unreachable, -32602 bad proof
 */
export async function completeSession(keyhold: KeyholdProvider, sessionId: string, proof: LoginProofInput): Promise<Session> {
  const params =
    'signature' in proof
      ? { sessionId, signature: proof.signature }
      : {
          sessionId,
          passkey: {
            credentialId: toBase64(bytesOf(proof.passkey.credentialId)),
            authenticatorData: toBase64(bytesOf(proof.passkey.authenticatorData)),
            clientDataJSON: toBase64(bytesOf(proof.passkey.clientDataJSON)),
            signature: toBase64(bytesOf(proof.passkey.signature)),
          },
        };
  return toSession(await call(() => keyhold.request({ method: 'keyhold_completeSession', params: [params] })));
}

/** This origin's live sessions, oldest first (`keyhold_listSessions`). */
export async function listSessions(keyhold: KeyholdProvider): Promise<Session[]> {
  return (await call(() => keyhold.request({ method: 'keyhold_listSessions' }))).map(toSession);
}

/**
 * Revokes a session (`keyhold_revokeSession`); a service session is logged out at its service too.
 * @throws KeyholdError 4100 unknown or foreign session
 */
export function revokeSession(keyhold: KeyholdProvider, sessionId: string): Promise<RevokeResult> {
  return call(() => keyhold.request({ method: 'keyhold_revokeSession', params: [{ sessionId }] }));
}

export interface SignOptions {
  sessionId: string;
  requestType: number;
  /** Bytes, or text sent as UTF-8. At most 65536 bytes. */
  body: BodyInput;
}

/**
 * Has Keyhold sign a request with a session key (`keyhold_signRequest`), no popup.
 * @returns the JSON envelope, or with `encoding: 'binary'` the binary frame, with the bytes decoded
 * @throws KeyholdError 4100 unknown, expired or revoked session, or a request type not granted
 */
export async function signRequest(keyhold: KeyholdProvider, options: SignOptions & { encoding?: 'json' }): Promise<SignedEnvelope>;
export async function signRequest(keyhold: KeyholdProvider, options: SignOptions & { encoding: 'binary' }): Promise<SignedFrame>;
export async function signRequest(keyhold: KeyholdProvider, options: SignOptions & { encoding?: 'json' | 'binary' }): Promise<SignedEnvelope | SignedFrame> {
  const { sessionId, requestType, encoding = 'json' } = options;
  const answer = await call(() =>
    keyhold.request({ method: 'keyhold_signRequest', params: [{ sessionId, requestType, body: toBase64(bodyBytes(options.body)), encoding }] }),
  );
  if (encoding === 'binary') {
    const { frame } = answer as FrameResult;
    return { frame: fromBase64(frame), base64: frame };
  }
  const envelope = answer as JsonEnvelope;
  return { envelope, payload: fromBase64(envelope.payload), publicKey: fromBase64(envelope.public_key), signature: fromBase64(envelope.signature) };
}

export interface SendOptions extends SignOptions {
  /** Starts with a single "/": appended to the session's service origin. */
  path: string;
}

/**
 * Has Keyhold sign a request and POST it to the session's service with its device key
 * (`keyhold_send`). A service's error status is an answer, not an exception.
 * @throws KeyholdError 4100 session not usable, -32603 the service is unreachable
 */
export async function send<T = unknown>(keyhold: KeyholdProvider, options: SendOptions): Promise<SendAnswer<T>> {
  const { sessionId, path, requestType } = options;
  const answer = await call(() =>
    keyhold.request({ method: 'keyhold_send', params: [{ sessionId, path, requestType, body: toBase64(bodyBytes(options.body)) }] }),
  );
  return answer as SendAnswer<T>;
}
