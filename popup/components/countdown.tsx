/**
 * A live countdown ("2h 05m left", "Expired"): its text is a computed signal of the popup's one
 * clock (`store.ts`), so each tick rewrites this text node and re-renders nothing else.
 * @module
 */
import { useComputed } from '@preact/signals';
import { formatTimeLeft } from '../format.js';
import { now } from '../store.js';

export function Countdown({ until }: { until: string }) {
  const text = useComputed(() => formatTimeLeft(until, now.value));
  const cls = useComputed(() => (Date.parse(until) <= now.value ? 'countdown countdown--over' : 'countdown'));
  return (
    <time class={cls} dateTime={until}>
      {text}
    </time>
  );
}
