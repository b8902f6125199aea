/**
 * Whether the browser may evict Keyhold's storage, decided from what the browser reports. Pure:
 * the browser calls are in `check.ts`, so the warning path is tested with any report.
 *
 * Browsers report the exemption differently, so either sign counts:
 * - `navigator.storage.persisted()` true: the origin is persistent (Firefox, once
 *   `navigator.storage.persist()` is granted; it grants it at once to an add-on with
 *   `unlimitedStorage`).
 * - the `unlimitedStorage` permission granted *and* a quota larger than any best-effort share:
 *   Chromium exempts such an extension from eviction but keeps `persisted()` false; what shows
 *   it is the quota, usage plus the free disk instead of the best-effort report (usage plus
 *   10 GiB in Chromium; at most 10 GiB in Firefox). The permission alone is not taken as
 *   proof: the quota shows that the browser applies it to this storage. On a disk with under
 *   10 GiB free the two cannot be told apart, and the verdict errs towards a warning.
 * Anything else, including a browser that reports nothing, is evictable: never assumed safe.
 * @module
 */

/** The most room any supported browser reports to a best-effort origin, beyond its usage. */
export const BEST_EFFORT_MAX_HEADROOM = 10 * 2 ** 30;

/** What the browser reported; null where it reported nothing. */
export interface StorageFacts {
  /** Bytes, from `navigator.storage.estimate()`. */
  quota: number | null;
  usage: number | null;
  /** `navigator.storage.persisted()`. */
  persisted: boolean | null;
  /** `permissions.contains({permissions: ['unlimitedStorage']})`. */
  unlimitedStorage: boolean;
}

export type StorageVerdict =
  | { state: 'persistent'; basis: 'persisted' | 'unlimited' }
  | { state: 'evictable'; basis: null };

export function judgeStorage(facts: StorageFacts): StorageVerdict {
  if (facts.persisted === true) return { state: 'persistent', basis: 'persisted' };
  const { quota, usage } = facts;
  if (facts.unlimitedStorage && quota !== null && usage !== null && quota - usage > BEST_EFFORT_MAX_HEADROOM) {
    return { state: 'persistent', basis: 'unlimited' };
  }
  return { state: 'evictable', basis: null };
}

/** A byte count the browser reported, or null for anything that is not one. */
export const byteCount = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);
