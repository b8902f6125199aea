/**
 * Bodies of the requests Keyhold builds itself, and the digests the Secp256k1 and Passkey
 * schemes sign. Every byte layout here is Keyhold's own choice (see `spec/signing.md` §6);
 * integers are little-endian like the payload.
 *
 * Request type numbers with the high bit set (0x8000–0xffff) are numbers Keyhold chose itself;
 * numbers below 0x8000 follow the reference service's numbering.
 * @module
 */
import { abytes, aobject, auint, copy, describe, readU64, writeU64 } from './bytes.js';

/** The request types of the bodies below (payload bytes 2–3). */
export const RequestType = {
  /** Revoke one session key. */
  RevokeSession: 14,
  /** List the account's session keys. */
  ListSessions: 47,
  /**
   * Register a new session key, signed by the master key. Keyhold's OWN number: no reference
   * service defines a login body, so Keyhold picked one with the high bit set.
   */
  CreateSession: 0x8001,
} as const;
export type RequestType = (typeof RequestType)[keyof typeof RequestType];

/** Bytes in a session id (a UUID). */
export const SESSION_ID_BYTES = 16;
/** Bytes in a raw Ed25519 public key (RFC 8032). */
export const SESSION_PUBLIC_KEY_BYTES = 32;
/** Bytes in a CreateSession body. */
export const CREATE_SESSION_BYTES = 62;

/** What a session key may do: wire value 0 and 1. */
export type SessionRole = 'TRADING_ONLY' | 'FULL_ACCESS';
const ROLES: readonly SessionRole[] = ['TRADING_ONLY', 'FULL_ACCESS'];
const U32_MAX = 0xffffffff;

/** The fields of a CreateSession body. `subaccountIndex` null means the whole account. */
export interface CreateSessionBody {
  sessionId: Uint8Array;
  publicKey: Uint8Array;
  role: SessionRole;
  subaccountIndex: number | null;
  validUntilMs: number;
}

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

/**
 * CreateSession (0x8001) body, 62 bytes: session_id(16) | session_public_key(32) | role u8 |
 * subaccount_flag u8 | subaccount_index u32 LE | valid_until_ms u64 LE.
 * @param b - the fields
 * @returns the body
 * @throws TypeError if `b` is not an object or a field has the wrong type
 * @throws RangeError naming the field: `sessionId` not 16 bytes, `publicKey` not 32 bytes,
 *   unknown `role`, `subaccountIndex` not null nor an integer in 0..2^32-1, `validUntilMs` not an
 *   integer in 0..2^53-1
 */
export function encodeCreateSession(b: CreateSessionBody): Uint8Array {
  aobject(b, 'createSession');
  const sessionId = abytes(b.sessionId, SESSION_ID_BYTES, 'sessionId');
  const publicKey = abytes(b.publicKey, SESSION_PUBLIC_KEY_BYTES, 'publicKey');
  if (typeof b.role !== 'string') throw new TypeError(`"role" expected string, got ${describe(b.role)}`);
  const role = ROLES.indexOf(b.role);
  if (role < 0) throw new RangeError(`"role" expected 'TRADING_ONLY' or 'FULL_ACCESS', got '${b.role}'`);
  const sub = b.subaccountIndex === null ? null : auint(b.subaccountIndex, U32_MAX, 'subaccountIndex');
  const validUntilMs = auint(b.validUntilMs, Number.MAX_SAFE_INTEGER, 'validUntilMs');
  const out = new Uint8Array(CREATE_SESSION_BYTES);
  out.set(sessionId, 0);
  out.set(publicKey, 16);
  out[48] = role;
  out[49] = sub === null ? 0 : 1;
  const index = sub ?? 0;
  out[50] = index & 0xff;
  out[51] = (index >>> 8) & 0xff;
  out[52] = (index >>> 16) & 0xff;
  out[53] = index >>> 24;
  writeU64(out, 54, validUntilMs);
  return out;
}

/**
 * Parses a CreateSession body strictly.
 * @param body - the body
 * @returns its fields (arrays are copies)
 * @throws TypeError if `body` is not a Uint8Array
 * @throws RangeError if `body` is not 62 bytes, role or subaccount_flag is not 0 or 1,
 *   subaccount_index is non-zero while the flag is 0, or valid_until_ms exceeds 2^53-1
 */
export function decodeCreateSession(body: Uint8Array): CreateSessionBody {
  abytes(body, CREATE_SESSION_BYTES, 'body');
  const role = ROLES[body[48]!];
  if (role === undefined) throw new RangeError(`"body" role ${body[48]} is unknown (expected 0 or 1)`);
  const flag = body[49]!;
  if (flag > 1) throw new RangeError(`"body" subaccount_flag ${flag} is not 0 or 1`);
  const index = (body[50]! | (body[51]! << 8) | (body[52]! << 16) | (body[53]! << 24)) >>> 0;
  if (flag === 0 && index !== 0) {
    throw new RangeError(`"body" subaccount_index must be 0 when subaccount_flag is 0, got ${index}`);
  }
  return {
    sessionId: copy(body, 0, 16),
    publicKey: copy(body, 16, 48),
    role,
    subaccountIndex: flag === 1 ? index : null,
    validUntilMs: readU64(body, 54, 'valid_until_ms'),
  };
}
