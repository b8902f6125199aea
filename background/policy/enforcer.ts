/**
 * Every session's policy runtime, loaded once per worker life on first use (its stored counts
 * and pause) and then kept in memory, so the gate's policy checks are synchronous. The
 * worker's start may read some sessions' counts ahead (`warm`), so that their first use does
 * not wait on IndexedDB; counts forgotten while that read was in flight are not taken from it.
 * @module
 */
import type { SessionRecord } from '../db.js';
import { descriptorSchemas } from '../descriptors/schemas.js';
import { SessionPolicyRuntime } from './session-policy.js';
import { ReadGuard } from '../platform/read-guard.js';
import { isPolicyStateRecord, type PauseMark, type PolicyStateRecord, type PolicyStates } from './state-store.js';

export class PolicyEnforcer {
  readonly #live = new Map<string, SessionPolicyRuntime>();
  readonly #loading = new Map<string, Promise<SessionPolicyRuntime>>();
  /** Stored counts read ahead and not used yet: a record, 'invalid', or undefined for none stored. */
  readonly #ahead = new Map<string, PolicyStateRecord | 'invalid' | undefined>();
  /** The read-ahead, and the sessions whose counts were forgotten while it was in flight. */
  readonly #reads = new ReadGuard();

  constructor(
    readonly states: PolicyStates,
    private readonly now: () => number,
  ) {}

  peek(sessionId: string): SessionPolicyRuntime | undefined {
    return this.#live.get(sessionId);
  }

  /** The session's runtime, loading its stored state the first time. */
  load(record: SessionRecord): Promise<SessionPolicyRuntime> {
    const live = this.#live.get(record.id);
    if (live) return Promise.resolve(live);
    let loading = this.#loading.get(record.id);
    if (!loading) {
      loading = this.#make(record).finally(() => this.#loading.delete(record.id));
      this.#loading.set(record.id, loading);
    }
    return loading;
  }

  /**
   * Takes the stored counts of the sessions `read` names, for their first use: with them, the
   * first `limit` state records in key order, as `getAll` with a count gives them. A session
   * counts as having none stored only when the read covers its key. Nothing is taken for a
   * session already live or forgotten while the read was in flight.
   */
  warm(read: Promise<{ sessionIds: readonly string[]; states: unknown[] }>, limit: number): Promise<void> {
    return this.#reads.ahead(this.#reads.fill(read, ({ sessionIds, states }, forgotten) => this.#takeAhead(sessionIds, states, limit, forgotten)));
  }

  #takeAhead(sessionIds: readonly string[], states: unknown[], limit: number, forgotten: ReadonlySet<string>): void {
    const byId = new Map<string, PolicyStateRecord | 'invalid'>();
    let last = '';
    for (const r of states) {
      const id = typeof r === 'object' && r !== null && 'sessionId' in r ? r.sessionId : undefined;
      if (typeof id !== 'string') continue;
      byId.set(id, isPolicyStateRecord(r) ? r : 'invalid');
      if (id > last) last = id;
    }
    const all = states.length < limit;
    for (const id of sessionIds) {
      if (forgotten.has(id) || this.#live.has(id)) continue;
      if (byId.has(id)) this.#ahead.set(id, byId.get(id));
      else if (all || id < last) this.#ahead.set(id, undefined);
    }
  }

  async #stored(sessionId: string): Promise<PolicyStateRecord | 'invalid' | undefined> {
    await this.#reads.pending;
    if (this.#ahead.has(sessionId)) {
      const stored = this.#ahead.get(sessionId);
      this.#ahead.delete(sessionId);
      return stored;
    }
    return this.states.get(sessionId);
  }

  async #make(record: SessionRecord): Promise<SessionPolicyRuntime> {
    const stored = await this.#stored(record.id);
    const runtime = new SessionPolicyRuntime(
      record.id,
      record.validUntil,
      record.policy ?? {},
      descriptorSchemas(record.descriptor),
      stored === 'invalid' ? undefined : stored,
      this.states,
      this.now,
    );
    // Counts that cannot be read are not taken as zero: the session stays paused until the user resumes it.
    if (stored === 'invalid') runtime.paused = { at: this.now(), by: 'auto' };
    this.#live.set(record.id, runtime);
    return runtime;
  }

  async setPaused(record: SessionRecord, mark: PauseMark | null): Promise<SessionPolicyRuntime> {
    const runtime = await this.load(record);
    await runtime.setPaused(mark);
    return runtime;
  }

  /** Forgets a session that is gone (revoked or expired) and its stored counts. */
  async forget(sessionId: string): Promise<void> {
    this.#reads.written(sessionId);
    this.#ahead.delete(sessionId);
    this.#live.delete(sessionId);
    await this.states.delete(sessionId);
  }
}
