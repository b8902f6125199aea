/**
 * The activity log: what was signed, by which origin, when, with request type and request id;
 * sessions made and revoked. Bounded (the newest {@link MAX_ENTRIES}), and never key material
 * or a body (of a binary body of a described type, its size and first 32 bytes). Entries are buffered and written in one transaction at most once a second, so the
 * signing hot path never waits on IndexedDB; a worker killed inside that second loses those
 * lines of the log (never a key, a session or a revocation, which are written before answering).
 * @module
 */
import type { AuditRecord, KeyholdDb } from '../db.js';
import { logAt } from '../platform/log.js';

export const MAX_ENTRIES = 500;
export const FLUSH_DELAY_MS = 1_000;

export type AuditEntry = Omit<AuditRecord, 'id'>;

export class AuditLog {
  #buffer: AuditEntry[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: KeyholdDb,
    private readonly delayMs = FLUSH_DELAY_MS,
  ) {}

  record(entry: AuditEntry): void {
    // Only the newest MAX_ENTRIES can survive the prune anyway. Trimmed once the buffer holds
    // twice that, not at every entry past it: a burst of signatures then costs O(1) per entry
    // here, where a trim per entry moved 500 entries per signature (3 % of the worker's time).
    if (this.#buffer.push(entry) >= 2 * MAX_ENTRIES) this.#buffer = this.#buffer.slice(-MAX_ENTRIES);
    this.#timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Writes what is buffered and prunes to the bound, in one transaction. Never rejects: a failure is logged. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#buffer.length > MAX_ENTRIES ? this.#buffer.slice(-MAX_ENTRIES) : this.#buffer;
    this.#buffer = [];
    if (batch.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(async () => {
      const tx = this.db.transaction('audit', 'readwrite');
      for (const entry of batch) void tx.store.add(entry);
      const excess = (await tx.store.count()) - MAX_ENTRIES;
      if (excess > 0) {
        // One range delete, not a cursor step per entry: the prune stays off the signing path.
        const newestToDrop = (await tx.store.getAllKeys(null, excess)).at(-1);
        if (newestToDrop !== undefined) await tx.store.delete(IDBKeyRange.upperBound(newestToDrop));
      }
      await tx.done;
    }).catch(logAt('audit flush')); // The lines are lost; the next flush writes its own.
    return this.#flushing;
  }

  /** The newest entries first, written or still buffered. */
  async list(limit = MAX_ENTRIES): Promise<AuditRecord[]> {
    await this.flush();
    const all = await this.db.getAll('audit');
    return all.reverse().slice(0, limit);
  }
}
