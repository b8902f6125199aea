/**
 * One session's policy at work, in memory: the checks of the gate in their fixed order, the
 * reservation a signature takes, and the writes that keep the stored counts never below the
 * true ones.
 *
 * Crash safety without a storage write per signature: a write stores the signature times made
 * so far plus a *reservation* of up to {@link RESERVE_SLOTS} more, all counted as made at the
 * reservation's end (≤ {@link RESERVE_MS} later; never more than a quarter of the room the
 * rate limits leave), and, per cap, the sum plus a quarter of what is left. A signature uses a
 * slot of the stored reservation (no wait) or waits for a write that
 * includes it. A worker killed at any instant therefore comes back with counts at least the true
 * ones: at most one reservation too high (the session may be refused a little early after a
 * crash, never allowed a little more). Once a session is idle past its reservation, a trim
 * writes the exact counts, so an ordinary idle stop of the worker costs nothing.
 * @module
 */
import { parseStrictJson } from '../../src/policy/strict-json.js';
import { parsePointer, resolvePointer } from '../../src/policy/json-pointer.js';
import { compileRule, type BodyTest } from '../../src/policy/compiled-rule.js';
import type { PolicyRuleName, SessionPolicy } from '../../src/protocol/policy.js';
import { SlidingTimes } from './sliding-window.js';
import type { PauseMark, PolicyStateRecord, PolicyStates } from './state-store.js';
import { logAt } from '../platform/log.js';

export const RESERVE_SLOTS = 1024;
export const RESERVE_MS = 5_000;
/** A session refused this many times by its limits within {@link AUTO_PAUSE_WINDOW_MS} pauses itself. */
export const AUTO_PAUSE_HITS = 10;
export const AUTO_PAUSE_WINDOW_MS = 60_000;

export type Verdict = { refused: PolicyRuleName; message: string } | { refused: null; amounts: ReadonlyArray<readonly [number, number]> };

/** Admitted, adding to no cap: one shared answer (the hot path allocates nothing for it). */
const ADMIT: Verdict = Object.freeze({ refused: null, amounts: Object.freeze([]) });

/** A signature admitted: what it counted, to take back if the signature is not made. */
export interface Ticket {
  at: number;
  amounts: ReadonlyArray<readonly [number, number]>;
  released: boolean;
}

interface Cap {
  requestType: number;
  tokens: string[];
  max: number;
  pointer: string;
}

/** The count at `i` of a per-cap list (one entry per cap, so `i` always has one). */
function sumAt(sums: readonly number[], i: number): number {
  const s = sums[i];
  if (s === undefined) throw new RangeError(`no sum for cap ${i} of ${sums.length}`);
  return s;
}

export class SessionPolicyRuntime {
  readonly #rules = new Map<number, BodyTest>();
  /** Each request type's caps, with their places in `policy.caps` (and `#sums`). */
  readonly #capsByType = new Map<number, Array<readonly [number, Cap]>>();
  readonly #caps: Cap[];
  readonly #confirm: ReadonlySet<number>;
  readonly #times = new SlidingTimes();
  readonly #sums: number[];
  /** Recent limit refusals, for the auto-pause. */
  #hits: number[] = [];
  paused: PauseMark | null;

  /** What storage holds beyond the true counts: the reservation's end and slots left, the stored sums. */
  #durable: { until: number; slots: number; sums: number[] };
  /** A write in flight: whether it lowers the stored counts (a trim), and slots used since it read the counts. */
  #flight: { lowering: boolean; usedSince: number } | null = null;
  #queued: Promise<void> | null = null;
  #tail: Promise<void> = Promise.resolve();
  #trimTimer: ReturnType<typeof setTimeout> | undefined;
  #lastUse = 0;
  readonly #hasRate: boolean;

  constructor(
    readonly sessionId: string,
    readonly validUntil: number,
    readonly policy: SessionPolicy,
    /** Descriptor schemas by request type, enforced like rules. */
    extraSchemas: ReadonlyMap<number, unknown>,
    stored: PolicyStateRecord | undefined,
    private readonly states: PolicyStates,
    private readonly now: () => number,
  ) {
    for (const [key, schema] of Object.entries(policy.rules ?? {})) this.#rules.set(Number(key), compileRule(schema));
    for (const [type, schema] of extraSchemas) {
      const own = this.#rules.get(type);
      const theirs = compileRule(schema);
      this.#rules.set(type, own ? (v) => own(v) && theirs(v) : theirs);
    }
    this.#caps = (policy.caps ?? []).map((c) => ({ requestType: c.requestType, tokens: parsePointer(c.pointer) ?? [], max: c.max, pointer: c.pointer }));
    this.#caps.forEach((c, i) => this.#capsByType.set(c.requestType, [...(this.#capsByType.get(c.requestType) ?? []), [i, c] as const]));
    this.#confirm = new Set(policy.confirmTypes ?? []);
    this.#hasRate = policy.maxPerMinute !== undefined || policy.maxPerHour !== undefined;
    this.paused = stored?.paused ?? null;
    this.#sums = this.#caps.map((_, i) => stored?.sums[i] ?? 0);
    const limit = Math.max(policy.maxPerMinute ?? 0, policy.maxPerHour ?? 0);
    for (const [t, n] of stored?.marks ?? []) for (let k = 0; k < Math.min(n, limit); k++) this.#times.add(t);
    // What was loaded is what storage holds: nothing reserved beyond it yet.
    this.#durable = { until: 0, slots: 0, sums: [...this.#sums] };
  }

  /** Whether signatures of `requestType` wait for the user. */
  confirms(requestType: number): boolean {
    return this.#confirm.has(requestType);
  }

  /** The first rule, in the fixed order, that refuses this signature now; or what it would add to each cap. */
  evaluate(requestType: number, body: Uint8Array, now: number): Verdict {
    if (this.paused) return { refused: 'paused', message: 'This session is paused in Keyhold; the user can resume it from the Keyhold popup.' };
    const { maxPerMinute, maxPerHour } = this.policy;
    if (maxPerMinute !== undefined && this.#times.inLastMinute(now) >= maxPerMinute) {
      return { refused: 'maxPerMinute', message: `This session's policy allows at most ${maxPerMinute} signature${maxPerMinute === 1 ? '' : 's'} a minute (maxPerMinute).` };
    }
    if (maxPerHour !== undefined && this.#times.inLastHour(now) >= maxPerHour) {
      return { refused: 'maxPerHour', message: `This session's policy allows at most ${maxPerHour} signature${maxPerHour === 1 ? '' : 's'} an hour (maxPerHour).` };
    }
    const rule = this.#rules.get(requestType);
    const caps = this.#capsByType.get(requestType);
    if (!rule && !caps) return ADMIT;
    const parsed = parseStrictJson(body);
    if (!parsed.ok) return { refused: 'rules', message: `This session's policy needs a JSON body for request type ${requestType}, and ${parsed.reason} (rules).` };
    if (rule && !rule(parsed.value)) return { refused: 'rules', message: `This request's body does not satisfy the session's rule for request type ${requestType} (rules).` };
    const amounts: Array<[number, number]> = [];
    for (const [i, cap] of caps ?? []) {
      const v = resolvePointer(parsed.value, cap.tokens);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        return { refused: 'caps', message: `This session's policy caps ${cap.pointer} of request type ${requestType}: it must be a number ≥ 0 (caps).` };
      }
      if (sumAt(this.#sums, i) + v > cap.max) {
        return { refused: 'caps', message: `This session's policy allows at most ${cap.max} of ${cap.pointer} in total for request type ${requestType}; ${this.#sums[i]} is used (caps).` };
      }
      amounts.push([i, v]);
    }
    return { refused: null, amounts };
  }

  /** Counts an admitted signature at once (synchronously, so no concurrent one can slip past). */
  reserve(amounts: ReadonlyArray<readonly [number, number]>, now: number): Ticket {
    if (this.#hasRate) {
      this.#times.add(now);
      // Keeps the times to the last hour even when only maxPerMinute is set (amortised O(1)).
      this.#times.inLastHour(now);
    }
    for (const [i, v] of amounts) this.#sums[i] = sumAt(this.#sums, i) + v;
    this.#lastUse = now;
    return { at: now, amounts, released: false };
  }

  /** Takes back a ticket whose signature was not made. */
  release(ticket: Ticket): void {
    if (ticket.released) return;
    ticket.released = true;
    if (this.#hasRate) this.#times.remove(ticket.at);
    for (const [i, v] of ticket.amounts) this.#sums[i] = Math.max(0, sumAt(this.#sums, i) - v);
  }

  /**
   * Makes storage count `ticket` (see the module note). Usually at once, with nothing to wait
   * for (`undefined`): a slot of the stored reservation is taken and the next reservation is
   * written ahead, off the hot path. Otherwise the promise of the write that includes it.
   */
  makeDurable(ticket: Ticket): Promise<void> | undefined {
    if (!this.#hasRate && this.#caps.length === 0) return undefined;
    if (!this.#takeSlot(ticket)) return this.#durableAfterWrite(ticket);
    this.#writeAheadIfLow(ticket.at);
    return undefined;
  }

  async #durableAfterWrite(ticket: Ticket): Promise<void> {
    // A write started after this call snapshots counts that include the ticket.
    await this.#write(false);
    this.#writeAheadIfLow(ticket.at);
  }

  /** One write ahead at a time: while one is in flight or queued, the next waits its turn. */
  #writeAheadIfLow(now: number): void {
    if (this.#flight || this.#queued) return;
    const d = this.#durable;
    let low = this.#hasRate && (d.slots < RESERVE_SLOTS / 2 || d.until - now < RESERVE_MS / 2);
    for (const [i, cap] of this.#caps.entries()) {
      if (low) break;
      const s = sumAt(this.#sums, i);
      low = sumAt(d.sums, i) - s < (cap.max - s) / 8;
    }
    if (low) void this.#write(false).catch(logAt('policy reservation write'));
  }

  #takeSlot(ticket: Ticket): boolean {
    if (this.#flight?.lowering) return false;
    const d = this.#durable;
    for (const [i, s] of this.#sums.entries()) if (s > sumAt(d.sums, i)) return false;
    if (!this.#hasRate) return true;
    if (d.slots < 1 || ticket.at > d.until) return false;
    d.slots--;
    if (this.#flight) this.#flight.usedSince++;
    return true;
  }

  /** Sets or clears the pause, stored before it answers. */
  async setPaused(mark: PauseMark | null): Promise<void> {
    this.paused = mark;
    await this.#write(false);
  }

  /** Notes a limit refusal; answers whether the session has now paused itself. */
  async noteLimitHit(now: number): Promise<boolean> {
    this.#hits = this.#hits.filter((t) => t > now - AUTO_PAUSE_WINDOW_MS);
    this.#hits.push(now);
    if (this.paused || this.#hits.length < AUTO_PAUSE_HITS) return false;
    this.#hits = [];
    await this.setPaused({ at: now, by: 'auto' });
    return true;
  }

  /** The capped sums so far, in `policy.caps` order (the popup shows them). */
  sums(): number[] {
    return [...this.#sums];
  }

  /**
   * Writes the counts (a snapshot, taken when the write starts) with a new reservation, or, for
   * a trim, exactly. Writes run one at a time; a caller joins the next one not yet started.
   * Answers true: that write's snapshot was taken after the call, so it includes the caller.
   */
  #write(trim: boolean): Promise<boolean> {
    if (!trim && this.#queued) return this.#queued.then(() => true);
    const run = this.#tail.then(() => this.#writeNow(trim));
    if (!trim) this.#queued = run;
    this.#tail = run.catch(() => undefined);
    return run.then(() => true);
  }

  async #writeNow(trim: boolean): Promise<void> {
    if (!trim) this.#queued = null;
    const now = this.now();
    const marks = this.#times.marks(now);
    const { maxPerMinute, maxPerHour } = this.policy;
    const room = Math.min(
      maxPerMinute === undefined ? RESERVE_SLOTS : maxPerMinute - this.#times.inLastMinute(now),
      maxPerHour === undefined ? RESERVE_SLOTS : maxPerHour - this.#times.inLastHour(now),
    );
    // A quarter of the room left: a crash then costs at most a quarter of what remains.
    const slots = trim || !this.#hasRate ? 0 : Math.max(1, Math.min(RESERVE_SLOTS, Math.ceil(room / 4)));
    const until = now + RESERVE_MS;
    const old = this.#durable;
    const sums = this.#caps.map((c, i) => {
      const s = sumAt(this.#sums, i);
      return trim ? s : Math.max(sumAt(old.sums, i), Math.min(c.max, s + (c.max - s) / 4));
    });
    if (slots > 0) marks.push([until, slots]);
    const record: PolicyStateRecord = { sessionId: this.sessionId, validUntil: this.validUntil, paused: this.paused, marks, sums };
    this.#flight = { lowering: trim, usedSince: 0 };
    try {
      await this.states.put(record);
      this.#durable = { until, slots: Math.max(0, slots - this.#flight.usedSince), sums };
    } finally {
      this.#flight = null;
    }
    if (!trim && slots > 0) this.#scheduleTrim(until);
  }

  /** Once idle past the reservation, store the exact counts (an idle worker stop then costs nothing). */
  #scheduleTrim(until: number): void {
    clearTimeout(this.#trimTimer);
    const timer = setTimeout(() => {
      if (this.now() - this.#lastUse < RESERVE_MS) return this.#scheduleTrim(this.#lastUse + RESERVE_MS);
      void this.#write(true).catch(logAt('policy trim write'));
    }, Math.max(0, until - this.now()) + 50);
    // In Node (the unit tests) a pending trim must not keep the process alive.
    if (typeof timer === 'object') timer.unref();
    this.#trimTimer = timer;
  }
}
