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
 * Opens the database and builds the signing stores on it. `onTerminated`: see `openKeyholdDb`.
 * @throws DOMException when IndexedDB is unavailable or a newer version is on disk.
 */
export async function openSigningStores(now: () => number, onTerminated: () => void): Promise<SigningStores> {
  const db = await openKeyholdDb(undefined, onTerminated);
  return { db, sessions: new SessionStore(db), policies: new PolicyEnforcer(new PolicyStates(db), now), audit: new AuditLog(db) };
}
