/**
 * The popup's shared state (`popup/store.ts`): one clock for every countdown, one change counter
 * for every loader, fed by the worker's broadcast and one fallback poll; a countdown is a
 * computed signal that changes only when its text does.
 * @module
 */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { computed } from '@preact/signals';
import { changes, now, POLL_MS, startClock } from '../../popup/store.js';
import { formatTimeLeft } from '../../popup/format.js';

test('the clock ticks each second; broadcasts and the poll bump the change counter; stop ends all three', () => {
  mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 });
  let broadcast: (() => void) | undefined;
  let unsubscribed = false;
  try {
    const stop = startClock((onChange) => {
      broadcast = onChange;
      return () => {
        unsubscribed = true;
      };
    });
    assert.equal(startClock(() => assert.fail('a second start subscribes again')), stop, 'one clock per page');
    const c0 = changes.value;
    mock.timers.tick(1_000);
    assert.equal(now.value, 1_001_000);
    broadcast!();
    assert.equal(changes.value, c0 + 1, 'a broadcast nudges');
    mock.timers.tick(POLL_MS - 1_000);
    assert.equal(changes.value, c0 + 2, 'the fallback poll nudges');
    stop();
    assert.equal(unsubscribed, true);
    mock.timers.tick(POLL_MS * 2);
    assert.equal(now.value, 1_000_000 + POLL_MS, 'stopped: no tick');
    assert.equal(changes.value, c0 + 2, 'stopped: no poll');
  } finally {
    mock.timers.reset();
  }
});

test('a countdown is a computed signal: its subscribers hear only a change of its text', () => {
  now.value = Date.parse('2026-01-01T00:00:00.000Z');
  const text = computed(() => formatTimeLeft('2026-01-01T02:00:00.000Z', now.value));
  const heard: string[] = [];
  const off = text.subscribe((v) => heard.push(v));
  now.value += 400; // same text ("2h 00m left")
  now.value += 1_000;
  off();
  // The first value at subscribe, nothing for the tick that kept the text, one for the new text.
  assert.deepEqual(heard, ['2h 00m left', '1h 59m left']);
});
