/**
 * A session policy's counts and pause as stored in the `policyState` store. A leaf module, so
 * the database schema (`db.ts`) can name it without importing the store that reads it
 * (`state-store.ts`, which re-exports it).
 * @module
 */

export interface PauseMark {
  /** ms since the epoch. */
  at: number;
  /** `user`: from the popup; `auto`: the session kept hitting its limits. */
  by: 'user' | 'auto';
}

export interface PolicyStateRecord {
  sessionId: string;
  /** The session's expiry, to purge the record with it. */
  validUntil: number;
  paused: PauseMark | null;
  /** [time, count]: `count` signatures counted as made at `time` (never earlier than they were). */
  marks: Array<[number, number]>;
  /** Per cap, in `policy.caps` order: a running sum never below the true one. */
  sums: number[];
}
