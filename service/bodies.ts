/**
 * The service's own strict parsers of the binary bodies of `spec/signing.md` §5: RevokeSession
 * (14; a master's carries a scope), ListSessions (47, a scope), CreateSession (0x8001).
 * Little-endian; a scope's origins are ASCII (§5.2).
 * @module
 */
import { badRequest } from './errors.js';
import type { Role } from './state.js';

export const RequestType = {
  /** session_id(16), then a scope when a master signs it */
  RevokeSession: 14,
  /** a scope */
  ListSessions: 47,
  /** Keyhold's own number: session_id(16) | key(32) | role u8 | flag u8 | index u32 | valid_until u64 */
  CreateSession: 0x8001,
  /** the reference service's trading request types: UTF-8 JSON bodies (see trade-bodies.ts) */
  PlaceOrder: 1,
  Withdraw: 2,
} as const;

export interface CreateSession {
  sessionId: Uint8Array;
  publicKey: Uint8Array;
  role: Role;
  subaccountIndex: number | null;
  validUntilMs: number;
}

const ROLES: readonly Role[] = ['TRADING_ONLY', 'FULL_ACCESS'];

/** Who a master call is for (the service's origin) and who asked for it (the site's origin). */
export interface Scope {
  audience: string;
  site: string;
}

/** A session key's RevokeSession. @throws ServiceError 400 `bad_body` unless exactly 16 bytes */
export function parseRevokeSession(body: Uint8Array): { sessionId: Uint8Array } {
  if (body.length !== 16) throw badRequest('bad_body', `RevokeSession body is 16 bytes, got ${body.length}`);
  return { sessionId: body };
}

/** A master's RevokeSession: session_id(16) ‖ scope. @throws ServiceError 400 `bad_body` */
export function parseMasterRevokeSession(body: Uint8Array): { sessionId: Uint8Array } & Scope {
  if (body.length < 16) throw badRequest('bad_body', `a master's RevokeSession body is session_id (16 bytes) and a scope, got ${body.length} bytes`);
  return { sessionId: body.slice(0, 16), ...parseScope(body, 16, 'RevokeSession') };
}

/** ListSessions: a scope. @throws ServiceError 400 `bad_body` */
export function parseListSessions(body: Uint8Array): Scope {
  return parseScope(body, 0, 'ListSessions');
}

/**
 * `audience_length u8 ‖ audience ‖ site_length u8 ‖ site` filling `body` from `at` to its end.
 * @throws ServiceError 400 `bad_body`: truncated, a length 0, a byte outside printable ASCII, not a
 *   serialised origin (the audience http(s)), trailing bytes
 */
function parseScope(body: Uint8Array, at: number, name: string): Scope {
  const audience = parseOrigin(body, at, `${name} audience`, true);
  const site = parseOrigin(body, audience.end, `${name} site`, false);
  if (site.end !== body.length) throw badRequest('bad_body', `${name} body has ${body.length - site.end} bytes after the site`);
  return { audience: audience.value, site: site.value };
}

const ORIGIN = /^([a-z][a-z0-9+.-]*):\/\/(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])(?::([1-9][0-9]{0,4}))?$/;

/**
 * Whether `text` is an origin as serialised: `scheme://host[:port]`, lowercase, port 1..65535
 * without leading zeros; for http(s), exactly what the URL parser serialises (no default port).
 */
export function isOrigin(text: string): boolean {
  const m = ORIGIN.exec(text);
  if (m === null || (m[2] !== undefined && Number(m[2]) > 65535)) return false;
  if (m[1] !== 'http' && m[1] !== 'https') return true;
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

function parseOrigin(body: Uint8Array, at: number, name: string, httpOnly: boolean): { value: string; end: number } {
  if (at >= body.length) throw badRequest('bad_body', `${name} is missing`);
  const length = body[at]!;
  const end = at + 1 + length;
  if (length === 0) throw badRequest('bad_body', `${name} is empty`);
  if (end > body.length) throw badRequest('bad_body', `${name} is truncated`);
  const bytes = body.subarray(at + 1, end);
  if (bytes.some((c) => c < 0x21 || c > 0x7e)) throw badRequest('bad_body', `${name} is not printable ASCII`);
  const value = Buffer.from(bytes).toString('latin1');
  if (!isOrigin(value) || (httpOnly && !/^https?:/.test(value))) {
    throw badRequest('bad_body', `${name} is not a serialised ${httpOnly ? 'http(s) ' : ''}origin`);
  }
  return { value, end };
}

/**
 * Parses a CreateSession body strictly.
 * @throws ServiceError 400 `bad_body`: not 62 bytes, role or subaccount_flag not 0/1, non-zero
 *   index with flag 0, valid_until_ms over 2^53-1
 */
export function parseCreateSession(body: Uint8Array): CreateSession {
  if (body.length !== 62) throw badRequest('bad_body', `CreateSession body is 62 bytes, got ${body.length}`);
  const role = ROLES[body[48]!];
  if (role === undefined) throw badRequest('bad_body', `CreateSession role ${body[48]} is not 0 or 1`);
  const flag = body[49]!;
  if (flag > 1) throw badRequest('bad_body', `CreateSession subaccount_flag ${flag} is not 0 or 1`);
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  const index = view.getUint32(50, true);
  if (flag === 0 && index !== 0) {
    throw badRequest('bad_body', 'CreateSession subaccount_index must be 0 when subaccount_flag is 0');
  }
  const validUntil = view.getBigUint64(54, true);
  if (validUntil > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw badRequest('bad_body', 'CreateSession valid_until_ms exceeds 2^53-1');
  }
  return {
    sessionId: body.slice(0, 16),
    publicKey: body.slice(16, 48),
    role,
    subaccountIndex: flag === 1 ? index : null,
    validUntilMs: Number(validUntil),
  };
}
