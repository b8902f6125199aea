/**
 * RFC 9562 UUIDv7 request ids: 48-bit big-endian Unix milliseconds, version 7, variant `10`,
 * 74 random bits. Ids are strictly increasing within one process (RFC 9562 §6.2, Method 2,
 * "Monotonic Random"): when the clock has not advanced — or went backwards — the previous
 * timestamp is reused and the 74 random bits are incremented by one as a counter. If that counter
 * ever overflows, the timestamp is moved one millisecond ahead of the clock (also allowed by
 * §6.2). A verifier can therefore treat a repeated id as a replay.
 *
 * Random bits are drawn from `crypto.getRandomValues` in 4 KiB batches, not per id.
 * @module
 */
import { isBytes } from '@noble/hashes/utils.js';
import { byteAt } from './bytes.js';

/** Bytes in a UUID. */
export const UUID_BYTES = 16;
const MAX_MS = 2 ** 48 - 1;
const POOL_BYTES = 4096;
const RANDOM_BYTES = 10; // bytes 6..15; version and variant bits are then forced

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const pool = new Uint8Array(POOL_BYTES);
let poolPos = POOL_BYTES;
/** The last id issued, which is also the counter state. */
const last = new Uint8Array(UUID_BYTES);
let lastMs = -1;

/**
 * Makes a new UUIDv7, strictly greater (bytewise) than every id this process made before.
 * @param nowMs - the clock in Unix milliseconds (default `Date.now()`); tests pass it explicitly
 * @returns 16 fresh bytes
 * @throws TypeError if `nowMs` is given and is not a number
 * @throws RangeError if `nowMs` is not an integer in 0..2^48-1
 * @example uuidToString(uuidv7()) // '0197...-....-7...-....-............'
 */
export function uuidv7(nowMs?: number): Uint8Array {
  let ms = nowMs === undefined ? Date.now() : nowMs;
  if (nowMs !== undefined) {
    if (typeof nowMs !== 'number') {
      throw new TypeError(`"nowMs" expected number, got ${describe(nowMs)}`);
    }
    if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs > MAX_MS) {
      throw new RangeError(`"nowMs" expected integer 0..2^48-1, got ${nowMs}`);
    }
  }
  if (ms <= lastMs) {
    if (increment()) return last.slice();
    ms = lastMs + 1; // 74-bit counter overflow: run one millisecond ahead
    if (ms > MAX_MS) throw new RangeError('uuidv7: timestamp overflow past 2^48-1 ms');
  }
  lastMs = ms;
  if (poolPos + RANDOM_BYTES > POOL_BYTES) {
    crypto.getRandomValues(pool);
    poolPos = 0;
  }
  last.set(pool.subarray(poolPos, poolPos + RANDOM_BYTES), 6);
  poolPos += RANDOM_BYTES;
  const hi = Math.floor(ms / 2 ** 32);
  const lo = ms >>> 0;
  last[0] = hi >>> 8;
  last[1] = hi & 0xff;
  last[2] = lo >>> 24;
  last[3] = (lo >>> 16) & 0xff;
  last[4] = (lo >>> 8) & 0xff;
  last[5] = lo & 0xff;
  last[6] = 0x70 | (byteAt(last, 6) & 0x0f);
  last[8] = 0x80 | (byteAt(last, 8) & 0x3f);
  return last.slice();
}

/** Adds one to the 74 random bits of `last`, skipping version and variant; false on overflow. */
function increment(): boolean {
  for (let i = 15; i >= 9; i--) {
    const v = (byteAt(last, i) + 1) & 0xff;
    last[i] = v;
    if (v !== 0) return true;
  }
  const b8 = (byteAt(last, 8) & 0x3f) + 1;
  last[8] = 0x80 | (b8 & 0x3f);
  if (b8 <= 0x3f) return true;
  const b7 = (byteAt(last, 7) + 1) & 0xff;
  last[7] = b7;
  if (b7 !== 0) return true;
  const b6 = (byteAt(last, 6) & 0x0f) + 1;
  last[6] = 0x70 | (b6 & 0x0f);
  return b6 <= 0x0f;
}

/**
 * Formats 16 bytes as a lowercase 8-4-4-4-12 UUID string. Any version is accepted.
 * @param bytes - 16 bytes
 * @returns e.g. `'01977420-dc00-7000-8000-000000000000'`
 * @throws TypeError if `bytes` is not a Uint8Array
 * @throws RangeError if `bytes` is not 16 bytes long
 */
export function uuidToString(bytes: Uint8Array): string {
  abytes16(bytes, 'bytes');
  const h = (i: number): string => HEX[byteAt(bytes, i)]!;
  return (
    h(0) + h(1) + h(2) + h(3) + '-' + h(4) + h(5) + '-' + h(6) + h(7) + '-' + h(8) + h(9) + '-' +
    h(10) + h(11) + h(12) + h(13) + h(14) + h(15)
  );
}

/**
 * Parses an 8-4-4-4-12 UUID string in any letter case. Any version is accepted.
 * @param text - the UUID string
 * @param field - name of the input, used in error messages (default "uuid")
 * @returns 16 bytes
 * @throws TypeError if `text` is not a string
 * @throws RangeError naming `field` if `text` is not a hyphenated UUID
 */
export function uuidFromString(text: string, field = 'uuid'): Uint8Array {
  if (typeof text !== 'string') {
    throw new TypeError(`"${field}" expected UUID string, got ${describe(text)}`);
  }
  if (!UUID_RE.test(text)) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new RangeError(`"${field}" expected UUID like xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, got "${shown}"`);
  }
  const out = new Uint8Array(UUID_BYTES);
  for (let i = 0, j = 0; i < UUID_BYTES; i++, j += 2) {
    if (j === 8 || j === 13 || j === 18 || j === 23) j++;
    out[i] = parseInt(text.slice(j, j + 2), 16);
  }
  return out;
}

/**
 * Tells whether `text` is an 8-4-4-4-12 UUID string (any letter case, any version).
 * @param text - anything
 * @returns true for a UUID string
 */
export function isUuidString(text: unknown): text is string {
  return typeof text === 'string' && UUID_RE.test(text);
}

function abytes16(value: unknown, name: string): Uint8Array {
  if (!isBytes(value)) throw new TypeError(`"${name}" expected Uint8Array, got ${describe(value)}`);
  const bytes = value;
  if (bytes.length !== UUID_BYTES) {
    throw new RangeError(`"${name}" expected ${UUID_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}
