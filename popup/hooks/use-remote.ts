/**
 * Loads a value from the worker and keeps it fresh: a first load that shows a spinner, quiet
 * refreshes after that (on a timer and on pushed nudges), and only the newest answer applied.
 * @module
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { changes } from '../store.js';

export type Remote<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; error: Error };

export interface RemoteOptions {
  /** Refresh quietly this often; omit to load once. */
  pollMs?: number;
  /** Subscribes to nudges that should trigger a quiet refresh; returns the unsubscribe. */
  subscribe?: (refresh: () => void) => () => void;
  /** Refresh quietly whenever this changes (e.g. after the data it depends on changed). */
  key?: string;
  /**
   * Refresh quietly on the popup's shared change nudge (`store.ts`: the worker's broadcasts and
   * one fallback poll for every view), instead of a timer of its own.
   */
  live?: boolean;
}

export interface RemoteHandle<T> {
  state: Remote<T>;
  /** Shows the loading state, then loads (for "Try again"). */
  reload: () => Promise<void>;
  /** Loads without showing the loading state (after an action, on a timer). */
  refresh: () => Promise<void>;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

export function useRemote<T>(load: () => Promise<T>, options: RemoteOptions = {}): RemoteHandle<T> {
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const data = await loadRef.current();
      if (mine === seq.current) setState({ status: 'ready', data });
    } catch (e) {
      if (mine === seq.current) setState({ status: 'error', error: asError(e) });
    }
  }, []);

  const reload = useCallback(async () => {
    setState({ status: 'loading' });
    await refresh();
  }, [refresh]);

  const { pollMs, subscribe, key, live = false } = options;
  // A layout effect, not an effect: the first request leaves right after the first render
  // instead of a frame later, which is most of the popup's time to data.
  useLayoutEffect(() => {
    void refresh();
    const timer = pollMs === undefined ? undefined : setInterval(() => void refresh(), pollMs);
    const unsubscribe = subscribe?.(() => void refresh());
    // `subscribe` calls at once with the current value: that first call is the load above.
    let first = true;
    const unwatch = live
      ? changes.subscribe(() => {
          if (first) first = false;
          else void refresh();
        })
      : undefined;
    return () => {
      if (timer !== undefined) clearInterval(timer);
      unsubscribe?.();
      unwatch?.();
      seq.current++; // drop answers that arrive after unmount
    };
  }, [refresh, pollMs, subscribe, key, live]);

  return { state, reload, refresh };
}
