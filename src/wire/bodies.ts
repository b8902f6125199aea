/**
 * Bodies of the requests Keyhold builds itself: RevokeSession (a session key's, and a master's
 * with its scope from `scope.ts`) and ListSessions. Every byte layout here is Keyhold's own
 * choice (`spec/signing.md` §5); integers are little-endian like the payload. The digests the
 * Secp256k1 and Passkey schemes sign are in `digests.ts`.
 *
 * Request type numbers with the high bit set (0x8000–0xffff) are numbers Keyhold chose itself;
 * numbers below 0x8000 follow the reference service's numbering.
 * @module
 */
import { abytes, copy } from './bytes.js';
import { decodeScopeAt, encodeScope, type MasterScope } from './scope.js';

export type { MasterScope } from './scope.js';

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
 * RevokeSession (14) body as a session key (signature type 1) signs it: session_id (16 bytes).
 * A master signs {@link encodeMasterRevokeSession} instead.
 * @param sessionId - the 16 bytes of the session's UUID
 * @returns a 16-byte body (a copy)
 * @throws TypeError if `sessionId` is not a Uint8Array
 * @throws RangeError if `sessionId` is not 16 bytes
 */
export function encodeRevokeSession(sessionId: Uint8Array): Uint8Array {
  return copy(abytes(sessionId, SESSION_ID_BYTES, 'sessionId'), 0, SESSION_ID_BYTES);
}

/**
 * Parses a session key's RevokeSession body strictly.
 * @param body - the body
 * @returns the session id (a copy)
 * @throws TypeError if `body` is not a Uint8Array
 * @throws RangeError if `body` is not exactly 16 bytes
 */
export function decodeRevokeSession(body: Uint8Array): { sessionId: Uint8Array } {
  return { sessionId: copy(abytes(body, SESSION_ID_BYTES, 'body'), 0, SESSION_ID_BYTES) };
}

/**
 * RevokeSession (14) body as a master (signature type 2 or 3) signs it: session_id (16 bytes) ‖
 * scope (`spec/signing.md` §5.1, §5.2), naming the service it is for and the site that asked.
 * @throws TypeError if `sessionId` is not a Uint8Array or `scope` not an object of strings
 * @throws RangeError naming the field: `sessionId` not 16 bytes; `audience` or `site` not a
 *   serialised origin of 1 to 255 characters (`audience` http(s))
 */
export function encodeMasterRevokeSession(sessionId: Uint8Array, scope: MasterScope): Uint8Array {
  const id = abytes(sessionId, SESSION_ID_BYTES, 'sessionId');
  const tail = encodeScope(scope);
  const out = new Uint8Array(SESSION_ID_BYTES + tail.length);
  out.set(id, 0);
  out.set(tail, SESSION_ID_BYTES);
  return out;
}

/**
 * Parses a master's RevokeSession body strictly.
 * @returns the session id (a copy), audience and site
 * @throws TypeError if `body` is not a Uint8Array
 * @throws RangeError if it is shorter than 16 bytes or its scope is malformed (§5.2): truncated,
 *   a length 0, not printable ASCII, not a serialised origin, trailing bytes
 */
export function decodeMasterRevokeSession(body: Uint8Array): { sessionId: Uint8Array } & MasterScope {
  abytes(body, undefined, 'body');
  if (body.length < SESSION_ID_BYTES) throw new RangeError(`"body" expected at least ${SESSION_ID_BYTES} bytes, got ${body.length}`);
  return { sessionId: copy(body, 0, SESSION_ID_BYTES), ...decodeScopeAt(body, SESSION_ID_BYTES) };
}

/**
 * ListSessions (47) body: the scope alone (`spec/signing.md` §5.2).
 * @throws TypeError if `scope` is not an object of strings
 * @throws RangeError naming `audience` or `site` when it is not a serialised origin of 1 to 255
 *   characters (`audience` http(s))
 */
export function encodeListSessions(scope: MasterScope): Uint8Array {
  return encodeScope(scope);
}

/**
 * Parses a ListSessions body strictly.
 * @returns its audience and site
 * @throws TypeError if `body` is not a Uint8Array
 * @throws RangeError if the scope is malformed (§5.2), empty bodies included
 */
export function decodeListSessions(body: Uint8Array): MasterScope {
  return decodeScopeAt(abytes(body, undefined, 'body'), 0);
}
