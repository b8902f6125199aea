/**
 * Pure formatting for the popup and the approval window: durations, countdowns, roles,
 * request types and origins in the words a person reads. No DOM, no browser APIs.
 * @module
 */
import type { Role } from '../src/protocol/page-api.js';
import { t, tCount, type MessageKey } from './i18n.js';

const UNITS = [
  { seconds: 86_400, one: 'unitDay_one', many: 'unitDay_other', short: 'unitDayShort' },
  { seconds: 3_600, one: 'unitHour_one', many: 'unitHour_other', short: 'unitHourShort' },
  { seconds: 60, one: 'unitMinute_one', many: 'unitMinute_other', short: 'unitMinuteShort' },
  { seconds: 1, one: 'unitSecond_one', many: 'unitSecond_other', short: 'unitSecondShort' },
] as const satisfies ReadonlyArray<{ seconds: number; one: MessageKey; many: MessageKey; short: MessageKey }>;

function aSeconds(seconds: unknown, name: string): number {
  if (typeof seconds !== 'number') throw new TypeError(`${name} must be a number, got ${typeof seconds}`);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${seconds}`);
  }
  return Math.floor(seconds);
}

type Part = [count: number, unit: (typeof UNITS)[number]];

/**
 * Splits whole seconds into the largest unit that fits and the unit after it, the rest dropped:
 * 5400 → [1 hour, 30 minutes], 3600 → [1 hour, 0 minutes], 42 → [42 seconds], 0 → [].
 */
function split(total: number): Part[] {
  const parts: Part[] = [];
  let rest = total;
  for (const unit of UNITS) {
    const n = Math.floor(rest / unit.seconds);
    rest -= n * unit.seconds;
    if (n > 0 || parts.length > 0) parts.push([n, unit]);
  }
  return parts.slice(0, 2);
}

/**
 * A lifetime in words, at most two units: `900` → "15 minutes", `3600` → "1 hour",
 * `5400` → "1 hour 30 minutes", `604800` → "7 days". Fractions of a second are dropped.
 * @throws {TypeError} if `seconds` is not a number.
 * @throws {RangeError} if `seconds` is negative, NaN or infinite.
 */
export function formatDuration(seconds: number): string {
  const parts = split(aSeconds(seconds, 'seconds')).filter(([n]) => n > 0);
  if (parts.length === 0) return tCount(0, 'unitSecond_one', 'unitSecond_other');
  return parts.map(([n, u]) => tCount(n, u.one, u.many)).join(' ');
}

/**
 * The compact countdown to `validUntilIso`: "6d 23h left", "2h 05m left", "4m 09s left",
 * "42s left", or "Expired" once `nowMs` has reached it. Rounds up, so "0s left" never shows.
 * @throws {RangeError} if `validUntilIso` is not a parseable date or `nowMs` is not finite.
 */
export function formatTimeLeft(validUntilIso: string, nowMs: number): string {
  const until = Date.parse(validUntilIso);
  if (Number.isNaN(until)) throw new RangeError(`validUntil is not an ISO 8601 date: "${validUntilIso}"`);
  if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs must be finite, got ${nowMs}`);
  const left = Math.ceil((until - nowMs) / 1000);
  if (left <= 0) return t('timeExpired');
  // Minutes and seconds after a larger unit are zero-padded so the countdown does not jitter.
  const text = split(left)
    .map(([n, u], i) => t(u.short, i > 0 && u.seconds < 3_600 ? String(n).padStart(2, '0') : n))
    .join(' ');
  return t('timeLeft', text);
}

/** The role in plain words. */
export function roleLabel(role: Role): string {
  return role === 'FULL_ACCESS' ? t('roleFullAccess') : t('roleTradingOnly');
}

/** Request types as a person reads them: `null` → "Any request type", `[1, 2, 14]` → "1, 2, 14". */
export function describeRequestTypes(types: readonly number[] | null): string {
  if (types === null) return t('requestTypesAny');
  if (types.length === 0) return t('requestTypesNone');
  return types.join(', ');
}

/** The subaccount in plain words: `null` → "Main account", `3` → "Subaccount 3". */
export function subaccountLabel(index: number | null): string {
  return index === null ? t('subaccountMain') : t('subaccountNumbered', index);
}

/** The short form of a base64 public key: its first 8 characters and an ellipsis. */
export function shortKey(publicKey: string): string {
  return publicKey.length <= 8 ? publicKey : `${publicKey.slice(0, 8)}…`;
}

/** An origin cut for display: the host is what a person must check. */
export interface OriginParts {
  /** e.g. "https://" */
  scheme: string;
  host: string;
  /** e.g. ":8443", or "" for the scheme's default port. */
  port: string;
}

/**
 * Splits an origin into scheme, host and port. Anything that is not a URL (an opaque origin
 * such as "null") comes back whole as the host, so it is still shown, never hidden.
 */
export function originParts(origin: string): OriginParts {
  try {
    const url = new URL(origin);
    if (url.host === '') return { scheme: '', host: origin, port: '' };
    return { scheme: `${url.protocol}//`, host: url.hostname, port: url.port === '' ? '' : `:${url.port}` };
  } catch {
    return { scheme: '', host: origin, port: '' };
  }
}

/**
 * Whether the origin's host has a punycode label (`xn--`), i.e. international characters
 * that may imitate another address. Unparseable origins count as not punycode.
 */
export function isPunycodeHost(origin: string): boolean {
  try {
    return new URL(origin).hostname.split('.').some((label) => label.toLowerCase().startsWith('xn--'));
  } catch {
    return false;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * When something happened, as the activity list shows it: "14:03:09" for today (local time),
 * "Mar 4, 14:03" for an earlier day, always with seconds today so signatures in one minute
 * can be told apart.
 * @throws {RangeError} if `atMs` or `nowMs` is not finite.
 */
export function formatWhen(atMs: number, nowMs: number): string {
  if (!Number.isFinite(atMs)) throw new RangeError(`atMs must be finite, got ${atMs}`);
  if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs must be finite, got ${nowMs}`);
  const at = new Date(atMs);
  const now = new Date(nowMs);
  const clock = `${pad2(at.getHours())}:${pad2(at.getMinutes())}`;
  if (at.toDateString() === now.toDateString()) return `${clock}:${pad2(at.getSeconds())}`;
  const month = at.toLocaleString('en', { month: 'short' });
  const year = at.getFullYear() === now.getFullYear() ? '' : ` ${at.getFullYear()}`;
  return `${month} ${at.getDate()}${year}, ${clock}`;
}

/** The tail of a UUID, enough to tell sessions apart: its last 12 hex digits after an ellipsis. */
export function shortId(id: string): string {
  return id.length <= 12 ? id : `…${id.slice(-12)}`;
}

/**
 * A byte count in decimal units, as disks are sold: `0` → "0 bytes", `204870` → "205 kB",
 * `82191074100` → "82.2 GB"; null (the browser did not say) → "unknown".
 */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return t('bytesUnknown');
  if (bytes < 1_000) return tCount(bytes, 'bytes_one', 'bytes_other');
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1_000;
  let i = 0;
  while (value >= 1_000 && i < units.length - 1) {
    value /= 1_000;
    i++;
  }
  return `${value < 100 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)} ${units[i]}`;
}
