/**
 * Every session's policy runtime, loaded once per worker life on first use (its stored counts
 * and pause) and then kept in memory, so the gate's policy checks are synchronous.
 * @module
 */
import type { SessionRecord } from '../db.js';
import { descriptorSchemas } from '../descriptors/schemas.js';
import { SessionPolicyRuntime } from './session-policy.js';
import type { PauseMark, PolicyStates } from './state-store.js';

export class PolicyEnforcer {
  readonly #live = new Map<string, SessionPolicyRuntime>();
  readonly #loading = new Map<string, Promise<SessionPolicyRuntime>>();

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

  async #make(record: SessionRecord): Promise<SessionPolicyRuntime> {
    const stored = await this.states.get(record.id);
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
    this.#live.delete(sessionId);
    await this.states.delete(sessionId);
  }
}
