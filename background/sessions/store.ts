/**
 * Session records: IndexedDB is the truth, a per-worker cache makes the hot path synchronous.
 * The worker is the only writer, so the cache never goes stale; after a restart it refills
 * from IndexedDB: a few sessions read ahead at the start (`warm`, while the worker waits for
 * the event that woke it), the rest one at a time, on first use.
 *
 * A read that fills the cache may resolve after a write of the same session (a revocation
 * while the read was in flight): every write marks its session on the reads in flight, and a
 * read never caches a session written since it began, so a revoked session is never cached
 * again.
 * @module
 */
import { toBase64 } from '../../src/encoding/base64.js';
import type { KeyholdDb, RevocationRecord, SessionRecord } from '../db.js';
import { isSessionRecord } from './record.js';
import { ReadGuard } from '../platform/read-guard.js';

/** A session ready to sign: its record and the base64 public key every envelope carries. */
export interface LiveSession {
  record: SessionRecord;
  publicKeyBase64: string;
}

const live = (record: SessionRecord): LiveSession => ({ record, publicKeyBase64: toBase64(record.publicKey) });

export class SessionStore {
  readonly #cache = new Map<string, LiveSession>();
  /** The reads that fill the cache, and the start's read-ahead (see the module's note). */
  readonly #reads = new ReadGuard();

  constructor(private readonly db: KeyholdDb) {}

  /** The cached session, without touching IndexedDB. */
  peek(id: string): LiveSession | undefined {
    return this.#cache.get(id);
  }

  /** The session, from the cache or else IndexedDB. A record that fails validation counts as absent. */
  async get(id: string): Promise<LiveSession | undefined> {
    const cached = this.#cache.get(id);
    if (cached) return cached;
    const ahead = this.#reads.pending;
    if (ahead) {
      await ahead;
      const warmed = this.#cache.get(id);
      if (warmed) return warmed;
    }
    await this.#fill(this.db.get('sessions', id).then((r) => [r]));
    // Cached by the read, or by a write while it was in flight; gone if deleted meanwhile.
    return this.#cache.get(id);
  }

  /**
   * Caches the sessions `read` yields (the worker's start reads some ahead, `WARM_SESSIONS`),
   * except one already cached or written while the read was in flight. A first use of a
   * session waits for this rather than reading it again. Returns the records read that pass
   * validation (an expired one included: the gate refuses it).
   */
  warm(read: Promise<unknown[]>): Promise<SessionRecord[]> {
    return this.#reads.ahead(this.#fill(read));
  }

  /** Validates what a read yields and caches each record that no write has touched since it began. */
  #fill(read: Promise<unknown[]>): Promise<SessionRecord[]> {
    return this.#reads.fill(read, (values, written) => {
      const records = values.filter(isSessionRecord);
      for (const record of records) {
        if (!written.has(record.id) && !this.#cache.has(record.id)) this.#cache.set(record.id, live(record));
      }
      return records;
    });
  }

  /** Stores a new session durably, then caches it. */
  async add(record: SessionRecord): Promise<LiveSession> {
    this.#reads.written(record.id);
    await this.db.add('sessions', record);
    const session = live(record);
    this.#cache.set(record.id, session);
    return session;
  }

  /** Replaces a stored session (its service binding changed), then re-caches it. */
  async update(record: SessionRecord): Promise<LiveSession> {
    this.#reads.written(record.id);
    await this.db.put('sessions', record);
    const session = live(record);
    this.#cache.set(record.id, session);
    return session;
  }

  /**
   * Deletes a session and queues its revocation at the service in one transaction: either both
   * happen or neither. Returns the queued revocation, or undefined if the session was gone.
   */
  async deleteIntoRevocations(id: string, make: (record: SessionRecord) => RevocationRecord): Promise<RevocationRecord | undefined> {
    this.#reads.written(id);
    this.#cache.delete(id);
    const tx = this.db.transaction(['sessions', 'revocations'], 'readwrite');
    // A failed request aborts the transaction, which rejects `done` too: mark it handled so the
    // failure surfaces once, from the request, not again as an unhandled rejection.
    tx.done.catch(() => undefined);
    const record = await tx.objectStore('sessions').get(id);
    if (!isSessionRecord(record)) {
      await tx.done;
      return undefined;
    }
    const revocation = make(record);
    await tx.objectStore('revocations').put(revocation);
    await tx.objectStore('sessions').delete(id);
    await tx.done;
    return revocation;
  }

  /** Deletes a session (key included); returns what was deleted. */
  async delete(id: string): Promise<SessionRecord | undefined> {
    this.#reads.written(id);
    this.#cache.delete(id);
    const tx = this.db.transaction('sessions', 'readwrite');
    tx.done.catch(() => undefined); // see deleteIntoRevocations
    const record = await tx.store.get(id);
    if (record) await tx.store.delete(id);
    await tx.done;
    return isSessionRecord(record) ? record : undefined;
  }

  /** Live sessions of one origin, oldest first. */
  async listByOrigin(origin: string, nowMs: number): Promise<SessionRecord[]> {
    const records = await this.db.getAllFromIndex('sessions', 'by-origin', origin);
    return records.filter((r) => isSessionRecord(r) && r.validUntil > nowMs).sort(byCreated);
  }

  /** Every live session, oldest first. */
  async listAll(nowMs: number): Promise<SessionRecord[]> {
    const records = await this.db.getAll('sessions');
    return records.filter((r) => isSessionRecord(r) && r.validUntil > nowMs).sort(byCreated);
  }

  /** Deletes every session whose time is up; returns how many. */
  async purgeExpired(nowMs: number): Promise<number> {
    const tx = this.db.transaction('sessions', 'readwrite');
    tx.done.catch(() => undefined); // see deleteIntoRevocations
    let cursor = await tx.store.index('by-valid-until').openCursor(IDBKeyRange.upperBound(nowMs));
    let purged = 0;
    while (cursor) {
      this.#reads.written(cursor.primaryKey);
      this.#cache.delete(cursor.primaryKey);
      await cursor.delete();
      purged++;
      cursor = await cursor.continue();
    }
    await tx.done;
    return purged;
  }

  /** The earliest expiry among stored sessions, to schedule the next purge. */
  async nextExpiry(): Promise<number | undefined> {
    const cursor = await this.db.transaction('sessions').store.index('by-valid-until').openCursor();
    return cursor?.value.validUntil;
  }
}

const byCreated = (a: SessionRecord, b: SessionRecord) => a.createdAt - b.createdAt;
