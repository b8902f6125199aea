/**
 * Byte and assert helpers of the wire layer: little-endian integers, copies, and the small
 * validators (`abytes`, `auint`, …) that take `unknown` and throw `TypeError` for a wrong type,
 * `RangeError` for a wrong length or value, naming the argument.
 * @module
 */
import { isBytes } from '@noble/hashes/utils.js';

/** True for a Uint8Array, including one from another realm and Node's Buffer (noble's own check). */
export { isBytes };

const U32 = 2 ** 32;
export function writeU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = v >>> 24;
}

/**
 * Writes a safe integer as u64 LE, as two u32 halves. No checks: callers pass a value that
 * already passed `auint(v, Number.MAX_SAFE_INTEGER, …)`.
 */
export function writeU64(out: Uint8Array, at: number, v: number): void {
  writeU32(out, at, v >>> 0);
  writeU32(out, at + 4, Math.floor(v / U32));
}

/**
 * The byte at `i`: a `RangeError` past the end, where an index would give `undefined` (and a
 * non-null assertion would let it through as NaN).
 * @throws RangeError if `i` is not an index of `bytes`
 */
export function byteAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b === undefined) throw new RangeError(`byte ${i} is past the end of ${bytes.length} bytes`);
  return b;
}

export function readU32(bytes: Uint8Array, at: number): number {
  return (byteAt(bytes, at) | (byteAt(bytes, at + 1) << 8) | (byteAt(bytes, at + 2) << 16) | (byteAt(bytes, at + 3) << 24)) >>> 0;
}

/**
 * Reads a u64 LE that must be a safe integer (at most 2^53-1).
 * @throws RangeError naming `name` if the value exceeds 2^53-1
 */
export function readU64(bytes: Uint8Array, at: number, name: string): number {
  const hi = readU32(bytes, at + 4);
  if (hi > 0x1fffff) throw new RangeError(`"${name}" exceeds 2^53-1`);
  return hi * U32 + readU32(bytes, at);
}

/**
 * Copies `bytes[start, end)` into a new plain Uint8Array. (`Buffer#slice` would return a view
 * sharing memory, and `Uint8Array#slice` on a Buffer a Buffer.)
 */
export function copy(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.subarray(start, end));
}

/**
 * Asserts a Uint8Array, of exactly `length` bytes when given.
 * @throws TypeError naming `name` if `value` is not a Uint8Array
 * @throws RangeError naming `name` if its length is not `length`
 */
export function abytes(value: unknown, length: number | undefined, name: string): Uint8Array {
  if (!isBytes(value)) throw new TypeError(`"${name}" expected Uint8Array, got ${describe(value)}`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`"${name}" expected ${length} bytes, got ${value.length}`);
  }
  return value;
}

/**
 * Asserts an integer in 0..max.
 * @throws TypeError naming `name` if `value` is not a number
 * @throws RangeError naming `name` if it is not an integer in 0..max (NaN included)
 */
export function auint(value: unknown, max: number, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`"${name}" expected integer 0..${max}, got ${value}`);
  }
  return value;
}

/**
 * Asserts a non-null object (not an array, not bytes) to read a codec's fields from: the wire's
 * structural check, a `TypeError` like its others. (Params that cross a boundary are checked by
 * `protocol/assert.ts` `aobject`: a plain object with only the allowed keys, -32602.)
 * @throws TypeError naming `name` otherwise
 */
export function afields(value: unknown, name: string): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new TypeError(`"${name}" expected object, got ${describe(value)}`);
  }
  return value;
}

/** Names a value's type for error messages without echoing its content. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}
