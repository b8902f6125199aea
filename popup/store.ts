/**
 * The popup's shared state as signals (preact's own `@preact/signals`): one clock and one
 * change counter for every view, instead of a timer per view and a re-render of the whole popup
 * each second.
 *
 * - {@link now}: the time, ticking each second while someone reads it. A countdown renders a
 *   computed signal as its text, so a tick updates that text node and nothing else.
 * - {@link changes}: bumped by the worker's broadcast (a session, approval or the vault changed)
 *   and by one fallback poll, so each loader refreshes on the same nudge.
 * @module
 */
import { signal } from '@preact/signals';

/** The fallback poll: a change the worker did not broadcast (an expiry, a service) shows within this. */
export const POLL_MS = 5_000;

/** ms since the epoch, updated each second once {@link startClock} ran. */
export const now = signal(Date.now());

/** Grows on every change nudge; loaders that read it refresh quietly. */
export const changes = signal(0);

let stop: (() => void) | undefined;

/** Subscribes to the worker's change broadcast; returns the unsubscribe (`approval-events.ts`). */
export type Subscribe = (onChange: () => void) => () => void;

/**
 * Starts the clock, the worker's nudges (`subscribe`) and the fallback poll, once; the returned
 * function stops them.
 */
export function startClock(subscribe: Subscribe, tickMs = 1_000, pollMs = POLL_MS): () => void {
  if (stop) return stop;
  const tick = setInterval(() => {
    now.value = Date.now();
  }, tickMs);
  const poll = setInterval(() => {
    changes.value++;
  }, pollMs);
  const unsubscribe = subscribe(() => {
    changes.value++;
  });
  stop = () => {
    clearInterval(tick);
    clearInterval(poll);
    unsubscribe();
    stop = undefined;
  };
  return stop;
}

/** Nudges every live loader now (after the popup itself changed something). */
export function nudge(): void {
  changes.value++;
}
