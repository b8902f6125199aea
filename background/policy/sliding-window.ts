/**
 * Signature times for the sliding-window rate limits: appended in order, counted in amortised
 * O(1) (each window keeps a head index that only moves forward).
 * @module
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

const SECOND_MS = 1000;

/** Rounding a time up only ever counts a signature later, so for longer: never fewer. */
const up = (t: number, grain: number) => Math.ceil(t / grain) * grain;

export class SlidingTimes {
  #times: number[] = [];
  #minuteHead = 0;
  #hourHead = 0;
  /**
   * What a write stores, kept up to date as times are added so a write costs O(buckets), not
   * O(signatures): per-second buckets for the last minute, per-minute buckets before that.
   */
  #seconds: Array<[number, number]> = [];
  #minutes: Array<[number, number]> = [];

  /** `t` must not be before the last time added (times are the worker's clock, in order). */
  add(t: number): void {
    const last = this.#times[this.#times.length - 1];
    const at = last !== undefined && t < last ? last : t;
    this.#times.push(at);
    const bucket = up(at, SECOND_MS);
    const top = this.#seconds[this.#seconds.length - 1];
    if (top && top[0] === bucket) top[1]++;
    else this.#seconds.push([bucket, 1]);
  }

  /** Takes back the latest entry equal to `t` (a reservation whose signature failed). */
  remove(t: number): void {
    for (let i = this.#times.length - 1; i >= this.#hourHead; i--) {
      if (this.#times[i] === t) {
        this.#times.splice(i, 1);
        if (this.#minuteHead > i) this.#minuteHead--;
        const bucket = up(t, SECOND_MS);
        const b = this.#seconds.findLast((x) => x[0] === bucket);
        if (b && b[1] > 0) b[1]--;
        return;
      }
    }
  }

  /** Signatures in the 60 s ending at `now` (a signature at exactly now − 60 s has left it). */
  inLastMinute(now: number): number {
    this.#minuteHead = this.#skip(this.#minuteHead, now - MINUTE_MS);
    return this.#times.length - this.#minuteHead;
  }

  /** The first index from `head` on whose time is after `cutoff` (the times are in order). */
  #skip(head: number, cutoff: number): number {
    for (let t = this.#times[head]; t !== undefined && t <= cutoff; t = this.#times[head]) head++;
    return head;
  }

  inLastHour(now: number): number {
    this.#hourHead = this.#skip(this.#hourHead, now - HOUR_MS);
    if (this.#hourHead > 4096) {
      // Drop what left the hour now and then, not on every call.
      this.#times.splice(0, this.#hourHead);
      this.#minuteHead -= this.#hourHead;
      this.#hourHead = 0;
    }
    return this.#times.length - this.#hourHead;
  }

  /**
   * The times still in the hour, oldest first, as [time, count]: rounded up to the second in the
   * last minute and to the minute before it (at most ~120 entries, whatever the rate).
   */
  marks(now: number): Array<[number, number]> {
    // Seconds buckets that left the minute fold into minute buckets (each moves once).
    let i = 0;
    for (const [t, n] of this.#seconds) {
      if (t > now - MINUTE_MS) break;
      const m = up(t, MINUTE_MS);
      const top = this.#minutes[this.#minutes.length - 1];
      if (top && top[0] === m) top[1] += n;
      else this.#minutes.push([m, n]);
      i++;
    }
    if (i) this.#seconds.splice(0, i);
    const kept = this.#minutes.findIndex(([t]) => t > now - HOUR_MS);
    const j = kept === -1 ? this.#minutes.length : kept;
    if (j) this.#minutes.splice(0, j);
    return [...this.#minutes, ...this.#seconds].filter(([, n]) => n > 0).map(([t, n]) => [t, n]);
  }
}
