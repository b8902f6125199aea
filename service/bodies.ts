/**
 * The service's own strict parsers of the binary bodies of `spec/signing.md` §5: RevokeSession
 * (14), ListSessions (47), CreateSession (0x8001). Little-endian.
 * @module
 */
import { badRequest } from './errors.js';
import type { Role } from './state.js';

export const RequestType = {
  /** session_id(16) */
  RevokeSession: 14,
  /** empty */
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

/** @throws ServiceError 400 `bad_body` unless exactly 16 bytes */
export function parseRevokeSession(body: Uint8Array): { sessionId: Uint8Array } {
  if (body.length !== 16) throw badRequest('bad_body', `RevokeSession body is 16 bytes, got ${body.length}`);
  return { sessionId: body };
}

/** @throws ServiceError 400 `bad_body` unless empty */
export function parseListSessions(body: Uint8Array): void {
  if (body.length !== 0) throw badRequest('bad_body', `ListSessions body is empty, got ${body.length} bytes`);
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
