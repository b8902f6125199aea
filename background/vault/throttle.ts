/**
 * How long to wait after wrong passwords: the first five are free, then each one doubles the
 * wait, from 5 s up to 15 minutes. Pure; the count lives in IndexedDB (`vault/records.ts`).
 * @module
 */
import type { ThrottleRecord } from './records.js';

export const FREE_ATTEMPTS = 5;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 15 * 60_000;

/** The wait imposed after `failures` wrong passwords in a row. */
export function delayAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS));
}

/** ms until the next attempt is allowed (0: now). */
export function retryAfterMs(t: ThrottleRecord | undefined, nowMs: number): number {
  if (!t) return 0;
  return Math.max(0, t.lastFailureAt + delayAfter(t.failures) - nowMs);
}
