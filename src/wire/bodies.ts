/**
 * Bodies of the requests Keyhold builds itself, and the digests the Secp256k1 and Passkey
 * schemes sign. Every byte layout here is Keyhold's own choice (see `spec/signing.md` §6);
 * integers are little-endian like the payload.
 *
 * Request type numbers with the high bit set (0x8000–0xffff) are numbers Keyhold chose itself;
 * numbers below 0x8000 follow the reference service's numbering.
 * @module
 */
import { abytes, copy } from './bytes.js';

/** The request types of the bodies below (payload bytes 2–3). */
export const RequestType = {
  /** Revoke one session key. */
  RevokeSession: 14,
  /** List the account's session keys. */
  ListSessions: 47,
} as const;
export type RequestType = (typeof RequestType)[keyof typeof RequestType];

/** Bytes in a session id (a UUID). */
export const SESSION_ID_BYTES = 16;

/**
 * RevokeSession (14) body: session_id (16 bytes).
 * @param sessionId - the 16 bytes of the session's UUID
 * @returns a 16-byte body (a copy)
 * @throws TypeError if `sessionId` is not a Uint8Array
 * @throws RangeError if `sessionId` is not 16 bytes
 */
export function encodeRevokeSession(sessionId: Uint8Array): Uint8Array {
  return copy(abytes(sessionId, SESSION_ID_BYTES, 'sessionId'), 0, SESSION_ID_BYTES);
}

/**
 * Parses a RevokeSession body strictly.
 * @param body - the body
 * @returns the session id (a copy)
 * @throws TypeError if `body` is not a Uint8Array
 * @throws RangeError if `body` is not exactly 16 bytes
 */
export function decodeRevokeSession(body: Uint8Array): { sessionId: Uint8Array } {
  return { sessionId: copy(abytes(body, SESSION_ID_BYTES, 'body'), 0, SESSION_ID_BYTES) };
}

/**
 * ListSessions (47) body: empty.
 * @returns a 0-byte body
 */
export function encodeListSessions(): Uint8Array {
  return new Uint8Array(0);
}

/**
 * Checks a ListSessions body, which must be empty.
 * @param body - the body
 * @throws TypeError if `body` is not a Uint8Array
 * @throws RangeError if `body` is not empty
 */
export function decodeListSessions(body: Uint8Array): Record<string, never> {
  abytes(body, 0, 'body');
  return {};
}
