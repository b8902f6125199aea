/**
 * The canonical signed payload and the binary frame that carries it with its key and signature.
 * Byte layouts are specified in `spec/signing.md`; golden vectors are in
 * `test/vectors/signing.json`. All integers are little-endian.
 *
 * Payload: header(8) | request_id(16) | body(body_length) | auth(16)
 * - header: version u8 | signature_type u8 | request_type u16 | body_length u32
 * - auth: issued_at_ms u64 | expires_at_ms u64
 *
 * Frame: payload_length u32 | payload | public_key_length u8 | public_key | signature_length u8 |
 * signature
 *
 * Encoding is on the hot signing path: it validates with cheap checks and allocates only the
 * output. Decoding is strict: exactly one byte string decodes to a given set of fields.
 * @module
 */
import { abytes, afields, auint, byteAt, copy, describe, readU32, readU64, writeU32, writeU64 } from './bytes.js';

/** The payload format version, byte 0 of every payload. */
export const WIRE_VERSION = 1;
/** Which key signed the payload; byte 1 of the payload. */
export const SignatureType = { Ed25519: 1, Secp256k1: 2, Passkey: 3 } as const;
export type SignatureType = (typeof SignatureType)[keyof typeof SignatureType];
/** expires_at_ms − issued_at_ms for every payload Keyhold signs. */
export const AUTH_WINDOW_MS = 60_000;
/** Largest body a payload may carry. */
export const MAX_BODY_BYTES = 65536;
export const HEADER_BYTES = 8;
export const REQUEST_ID_BYTES = 16;
export const AUTH_BYTES = 16;
/** Payload bytes besides the body. */
export const PAYLOAD_OVERHEAD_BYTES = HEADER_BYTES + REQUEST_ID_BYTES + AUTH_BYTES;
/** Largest payload, hence largest payload_length in a frame. */
export const MAX_PAYLOAD_BYTES = PAYLOAD_OVERHEAD_BYTES + MAX_BODY_BYTES;
/** Largest public key and signature in a frame (their lengths are one byte). */
export const MAX_FRAME_FIELD_BYTES = 255;

const U16_MAX = 0xffff;
const BODY_OFFSET = HEADER_BYTES + REQUEST_ID_BYTES;

/** The fields of a payload. `requestId` is a UUIDv7; times are Unix milliseconds. */
export interface PayloadFields {
  signatureType: SignatureType;
  requestType: number;
  requestId: Uint8Array;
  body: Uint8Array;
  issuedAtMs: number;
  expiresAtMs: number;
}

/** The parts of a binary frame. */
export interface FrameFields {
  payload: Uint8Array;
  publicKey: Uint8Array;
  signature: Uint8Array;
}

/**
 * Serializes payload fields. Hot path: one allocation (the output), no copies besides the body.
 * @param f - the fields; `requestId` must be a UUIDv7 (version 7, variant `10`)
 * @returns the canonical payload bytes, `40 + body.length` long
 * @throws TypeError if `f` is not an object or a field has the wrong type
 * @throws RangeError naming the field if a value is out of range: unknown `signatureType`,
 *   `requestType` not in 0..65535, `requestId` not 16 bytes or not a UUIDv7, `body` longer than
 *   MAX_BODY_BYTES, times not integers in 0..2^53-1
 */
export function encodePayload(f: PayloadFields): Uint8Array {
  afields(f, 'fields');
  const signatureType = asignatureType(f.signatureType, 'signatureType');
  const requestType = auint(f.requestType, U16_MAX, 'requestType');
  const requestId = arequestId(f.requestId, 'requestId');
  const body = abytes(f.body, undefined, 'body');
  const issuedAtMs = auint(f.issuedAtMs, Number.MAX_SAFE_INTEGER, 'issuedAtMs');
  const expiresAtMs = auint(f.expiresAtMs, Number.MAX_SAFE_INTEGER, 'expiresAtMs');
  const n = body.length;
  if (n > MAX_BODY_BYTES) {
    throw new RangeError(`"body" expected at most ${MAX_BODY_BYTES} bytes, got ${n}`);
  }
  const out = new Uint8Array(PAYLOAD_OVERHEAD_BYTES + n);
  out[0] = WIRE_VERSION;
  out[1] = signatureType;
  out[2] = requestType & 0xff;
  out[3] = requestType >>> 8;
  writeU32(out, 4, n);
  out.set(requestId, HEADER_BYTES);
  out.set(body, BODY_OFFSET);
  writeU64(out, BODY_OFFSET + n, issuedAtMs);
  writeU64(out, BODY_OFFSET + n + 8, expiresAtMs);
  return out;
}

/**
 * Parses a payload strictly. Returned arrays are copies, independent of `bytes`.
 * @param bytes - the payload
 * @returns its fields
 * @throws TypeError if `bytes` is not a Uint8Array
 * @throws RangeError if `bytes` is shorter than 40 bytes, the version is not WIRE_VERSION, the
 *   signature type is unknown, body_length exceeds MAX_BODY_BYTES or disagrees with the total
 *   length, the request id is not a UUIDv7, or a time exceeds 2^53-1
 */
export function decodePayload(bytes: Uint8Array): PayloadFields {
  abytes(bytes, undefined, 'payload');
  const total = bytes.length;
  if (total < PAYLOAD_OVERHEAD_BYTES) {
    throw new RangeError(`"payload" expected at least ${PAYLOAD_OVERHEAD_BYTES} bytes, got ${total}`);
  }
  const version = byteAt(bytes, 0);
  if (version !== WIRE_VERSION) {
    throw new RangeError(`"payload" version ${version} is not supported (expected ${WIRE_VERSION})`);
  }
  const signatureType = byteAt(bytes, 1);
  if (!isSignatureType(signatureType)) {
    throw new RangeError(`"payload" signature_type ${signatureType} is unknown (expected 1, 2 or 3)`);
  }
  const requestType = byteAt(bytes, 2) | (byteAt(bytes, 3) << 8);
  const n = readU32(bytes, 4);
  if (n > MAX_BODY_BYTES) {
    throw new RangeError(`"payload" body_length ${n} exceeds ${MAX_BODY_BYTES}`);
  }
  if (total !== PAYLOAD_OVERHEAD_BYTES + n) {
    throw new RangeError(
      `"payload" body_length ${n} needs ${PAYLOAD_OVERHEAD_BYTES + n} bytes in all, got ${total}`,
    );
  }
  const requestId = copy(bytes, HEADER_BYTES, BODY_OFFSET);
  if (!isUuidV7(requestId)) {
    throw new RangeError('"payload" request_id is not a UUIDv7 (version 7, variant 10)');
  }
  return {
    signatureType,
    requestType,
    requestId,
    body: copy(bytes, BODY_OFFSET, BODY_OFFSET + n),
    issuedAtMs: readU64(bytes, BODY_OFFSET + n, 'issued_at_ms'),
    expiresAtMs: readU64(bytes, BODY_OFFSET + n + 8, 'expires_at_ms'),
  };
}

/**
 * Serializes a frame: payload_length u32 LE | payload | key_length u8 | key | sig_length u8 | sig.
 * The payload is carried as is (decode it with {@link decodePayload}).
 * @param f - the payload, the signer's public key and the signature
 * @returns the frame bytes
 * @throws TypeError if `f` is not an object or a part is not a Uint8Array
 * @throws RangeError naming the part if `payload` exceeds MAX_PAYLOAD_BYTES or `publicKey` or
 *   `signature` exceeds 255 bytes
 */
export function encodeFrame(f: FrameFields): Uint8Array {
  afields(f, 'frame');
  const payload = abytes(f.payload, undefined, 'payload');
  const publicKey = abytes(f.publicKey, undefined, 'publicKey');
  const signature = abytes(f.signature, undefined, 'signature');
  if (payload.length > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`"payload" expected at most ${MAX_PAYLOAD_BYTES} bytes, got ${payload.length}`);
  }
  amaxLength(publicKey, 'publicKey');
  amaxLength(signature, 'signature');
  const p = payload.length;
  const k = publicKey.length;
  const out = new Uint8Array(4 + p + 1 + k + 1 + signature.length);
  writeU32(out, 0, p);
  out.set(payload, 4);
  out[4 + p] = k;
  out.set(publicKey, 5 + p);
  out[5 + p + k] = signature.length;
  out.set(signature, 6 + p + k);
  return out;
}

/**
 * Parses a frame strictly: every length must fit and the parts must fill `bytes` exactly.
 * Returned arrays are copies. The payload itself is not decoded.
 * @param bytes - the frame
 * @returns its parts
 * @throws TypeError if `bytes` is not a Uint8Array
 * @throws RangeError if `bytes` is truncated, has trailing bytes, or payload_length exceeds
 *   MAX_PAYLOAD_BYTES
 */
export function decodeFrame(bytes: Uint8Array): FrameFields {
  abytes(bytes, undefined, 'frame');
  const total = bytes.length;
  const truncated = (what: string): RangeError =>
    new RangeError(`"frame" is truncated: ${total} bytes end inside ${what}`);
  if (total < 4) throw truncated('payload_length');
  const p = readU32(bytes, 0);
  if (p > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`"frame" payload_length ${p} exceeds ${MAX_PAYLOAD_BYTES}`);
  }
  let at = 4 + p;
  if (total < at) throw truncated('payload');
  if (total < at + 1) throw truncated('public_key_length');
  const k = byteAt(bytes, at);
  at += 1;
  if (total < at + k) throw truncated('public_key');
  const keyAt = at;
  at += k;
  if (total < at + 1) throw truncated('signature_length');
  const s = byteAt(bytes, at);
  at += 1;
  if (total < at + s) throw truncated('signature');
  if (total !== at + s) {
    throw new RangeError(`"frame" has ${total - at - s} trailing bytes after the signature`);
  }
  return {
    payload: copy(bytes, 4, 4 + p),
    publicKey: copy(bytes, keyAt, keyAt + k),
    signature: copy(bytes, at, at + s),
  };
}

// ---- payload-specific validators ----

function isSignatureType(v: number): v is SignatureType {
  return v === 1 || v === 2 || v === 3;
}

function asignatureType(value: unknown, name: string): SignatureType {
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected number, got ${describe(value)}`);
  if (!isSignatureType(value)) {
    throw new RangeError(`"${name}" expected 1 (Ed25519), 2 (Secp256k1) or 3 (Passkey), got ${value}`);
  }
  return value;
}

function isUuidV7(b: Uint8Array): boolean {
  return (byteAt(b, 6) & 0xf0) === 0x70 && (byteAt(b, 8) & 0xc0) === 0x80;
}

function arequestId(value: unknown, name: string): Uint8Array {
  const b = abytes(value, REQUEST_ID_BYTES, name);
  if (!isUuidV7(b)) throw new RangeError(`"${name}" is not a UUIDv7 (version 7, variant 10)`);
  return b;
}

function amaxLength(b: Uint8Array, name: string): void {
  if (b.length > MAX_FRAME_FIELD_BYTES) {
    throw new RangeError(`"${name}" expected at most ${MAX_FRAME_FIELD_BYTES} bytes, got ${b.length}`);
  }
}
