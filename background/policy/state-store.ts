/**
 * What a session's policy has counted, kept in IndexedDB so that a worker kill or a browser
 * restart resets nothing: its pause, its signature times and its capped sums. A stored count is
 * never below the true one (see `counters.ts`); a record that fails validation counts as fully
 * spent rather than empty.
 * @module
 */
import type { KeyholdDb } from '../db.js';
import type { PauseMark, PolicyStateRecord } from './state-record.js';

export type { PauseMark, PolicyStateRecord };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function isPolicyStateRecord(r: unknown): r is PolicyStateRecord {
  if (typeof r !== 'object' || r === null) return false;
  const s = r as Partial<Record<keyof PolicyStateRecord, unknown>>;
  const paused = s.paused as Partial<PauseMark> | null | undefined;
  return (
    typeof s.sessionId === 'string' &&
    finite(s.validUntil) &&
    (paused === null || (typeof paused === 'object' && paused !== undefined && finite(paused.at) && (paused.by === 'user' || paused.by === 'auto'))) &&
    Array.isArray(s.marks) &&
    s.marks.every((m: unknown) => Array.isArray(m) && m.length === 2 && finite(m[0]) && Number.isSafeInteger(m[1]) && (m[1] as number) >= 0) &&
    Array.isArray(s.sums) &&
    s.sums.every((x: unknown) => finite(x) && x >= 0)
  );
}

export class PolicyStates {
  constructor(private readonly db: KeyholdDb) {}

  /** The stored state; `invalid` when a record is there but fails validation. */
  async get(sessionId: string): Promise<PolicyStateRecord | 'invalid' | undefined> {
    const r = await this.db.get('policyState', sessionId);
    if (r === undefined) return undefined;
    return isPolicyStateRecord(r) ? r : 'invalid';
  }

  async put(record: PolicyStateRecord): Promise<void> {
    await this.db.put('policyState', record);
  }

  async delete(sessionId: string): Promise<void> {
    await this.db.delete('policyState', sessionId);
  }

  /** Every stored state (the popup's paused marks, the badge). */
  async all(): Promise<PolicyStateRecord[]> {
    return (await this.db.getAll('policyState')).filter(isPolicyStateRecord);
  }

  /** Deletes the states of sessions whose time is up. */
  async purgeExpired(nowMs: number): Promise<void> {
    const tx = this.db.transaction('policyState', 'readwrite');
    tx.done.catch(() => undefined);
    for (const r of await tx.store.getAll()) {
      if (!isPolicyStateRecord(r) || r.validUntil <= nowMs) await tx.store.delete((r as { sessionId: string }).sessionId);
    }
    await tx.done;
  }
}
