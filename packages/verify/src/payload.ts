/**
 * The signed payload of `spec/signing.md` §2, parsed strictly:
 * `version u8 | signature_type u8 | request_type u16 | body_length u32 | request_id(16) | body |
 * issued_at_ms u64 | expires_at_ms u64`, little-endian except the UUIDv7 request id.
 * @module
 */
import { toHex } from './base64.js';
import { badRequest } from './errors.js';

export const WIRE_VERSION = 1;
export const MAX_BODY_BYTES = 65536;
/** header(8) + request_id(16) + auth(16). */
export const OVERHEAD_BYTES = 40;
export const MAX_PAYLOAD_BYTES = OVERHEAD_BYTES + MAX_BODY_BYTES;
/** The longest window a payload may declare: expires_at_ms − issued_at_ms. */
export const AUTH_WINDOW_MS = 60_000;

/** Payload byte 1: which scheme signed. */
export const SignatureType = { Ed25519: 1, Secp256k1: 2, Passkey: 3 } as const;
export type SignatureType = (typeof SignatureType)[keyof typeof SignatureType];

/** Request types `spec/signing.md` §5 defines. */
export const RequestType = { RevokeSession: 14, ListSessions: 47, CreateSession: 0x8001 } as const;

/** A decoded payload; `bytes` is the payload exactly as received (what was signed). */
export interface Payload {
  bytes: Uint8Array;
  signatureType: SignatureType;
  requestType: number;
  /** 16 bytes, RFC 9562 order. */
  requestId: Uint8Array;
  /** The request id as lower-case hyphenated UUID text. */
  requestIdText: string;
  body: Uint8Array;
  issuedAtMs: number;
  expiresAtMs: number;
}

/** The 16 bytes of a UUID as its canonical lower-case text. */
export function uuidText(id: Uint8Array): string {
  const h = toHex(id);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function readU64(view: DataView, at: number, field: string): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw badRequest('bad_payload_time', `payload ${field} exceeds 2^53-1`);
  return Number(value);
}

/**
 * Parses a payload strictly (`spec/signing.md` §2).
 * @throws VerifyError 400 `payload_too_short`, `unsupported_version`, `unknown_signature_type`,
 *   `body_length_mismatch`, `bad_request_id` (not a UUIDv7), `bad_payload_time` (over 2^53-1)
 */
export function parsePayload(bytes: Uint8Array): Payload {
  const total = bytes.length;
  if (total < OVERHEAD_BYTES) throw badRequest('payload_too_short', `payload must be at least ${OVERHEAD_BYTES} bytes, got ${total}`);
  if (bytes[0] !== WIRE_VERSION) throw badRequest('unsupported_version', `payload version ${bytes[0]} is not supported (expected 1)`);
  const signatureType = bytes[1]!;
  if (signatureType !== 1 && signatureType !== 2 && signatureType !== 3) {
    throw badRequest('unknown_signature_type', `payload signature_type ${signatureType} is not 1, 2 or 3`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, total);
  const requestType = view.getUint16(2, true);
  const bodyLength = view.getUint32(4, true);
  if (bodyLength > MAX_BODY_BYTES || total !== OVERHEAD_BYTES + bodyLength) {
    throw badRequest('body_length_mismatch', `payload body_length ${bodyLength} does not fit its ${total} bytes (needs 40 + body_length, body ≤ 65536)`);
  }
  const requestId = bytes.slice(8, 24);
  if (requestId[6]! >> 4 !== 7 || requestId[8]! >> 6 !== 2) {
    throw badRequest('bad_request_id', 'payload request_id is not a UUIDv7 (version 7, variant 10)');
  }
  const end = 24 + bodyLength;
  return {
    bytes,
    signatureType,
    requestType,
    requestId,
    requestIdText: uuidText(requestId),
    body: bytes.slice(24, end),
    issuedAtMs: readU64(view, end, 'issued_at_ms'),
    expiresAtMs: readU64(view, end + 8, 'expires_at_ms'),
  };
}
