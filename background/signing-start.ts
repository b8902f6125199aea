/**
 * The first part of every worker start: the database and the three stores a signature reads
 * and writes. Kept apart from the rest of the worker (`worker.ts`, loaded by `import()` when
 * an event needs it, or a little after the start), so the first signature after a cold start
 * waits on nothing else. In Firefox the rest is another script, not even parsed before then:
 * parsing and evaluating the whole worker was most of its cold start (docs/architecture.md).
 * @module
 */
import { AuditLog } from './audit/log.js';
import { openKeyholdDb, type KeyholdDb } from './db.js';
import { PolicyEnforcer } from './policy/enforcer.js';
import { PolicyStates } from './policy/state-store.js';
import { SessionStore } from './sessions/store.js';

export interface SigningStores {
  db: KeyholdDb;
  sessions: SessionStore;
  policies: PolicyEnforcer;
  audit: AuditLog;
}

/**
 * How many sessions (and their policy counts) a worker start reads ahead, in one transaction,
 * while it waits for the event that woke it: a cold start's first signature then finds its
 * session in memory instead of reading it (two IndexedDB round trips, 3–4 ms in Chromium). A
 * bound, so no number of stored sessions can grow the start's work or memory; sessions beyond
 * it load on first use, as before.
 */
export const WARM_SESSIONS = 64;

/**
 * Reads up to `WARM_SESSIONS` sessions and their stored policy counts into the stores' caches
 * (in key order: UUIDv7 ids, so the oldest first). Returns how many sessions it read. A
 * failure leaves the caches as they were; every session then loads on first use.
 */
export async function warmSigningStores({ db, sessions, policies }: SigningStores, limit = WARM_SESSIONS): Promise<number> {
  const tx = db.transaction(['sessions', 'policyState']);
  tx.done.catch(() => undefined); // a failed read surfaces once, from the read
  const records = sessions.warm(tx.objectStore('sessions').getAll(undefined, limit));
  const states = tx.objectStore('policyState').getAll(undefined, limit);
  // Both caches know of the read at once, so a first use waits for it instead of reading again.
  const counts = policies.warm(
    Promise.all([records, states]).then(([read, states]) => ({ sessionIds: read.map((r) => r.id), states })),
    limit,
  );
  const [read] = await Promise.all([records, counts]);
  return read.length;
}

/**
 * Opens the database and builds the signing stores on it. `onTerminated`: see `openKeyholdDb`.
 * @throws DOMException when IndexedDB is unavailable or a newer version is on disk.
 */
export async function openSigningStores(now: () => number, onTerminated: () => void): Promise<SigningStores> {
  const db = await openKeyholdDb(undefined, onTerminated);
  return { db, sessions: new SessionStore(db), policies: new PolicyEnforcer(new PolicyStates(db), now), audit: new AuditLog(db) };
}
