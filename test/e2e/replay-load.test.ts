/**
 * The replay-store load test (issue 16), judged: N orders signed ahead of time with the
 * golden-vector key, each sent concurrently to two `service/main.ts` processes. Sharing a Redis
 * store (`--replay-store`), exactly one acceptance per request id and every other answer a 409;
 * with the in-memory default each process accepts every id (the replay the shared store stops).
 * The figures themselves are `npm run bench` (bench/replay.ts). No browser.
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayLoad } from '../../bench/replay.js';

const N = 400;

test(`Redis store: ${N} requests replayed concurrently at two processes, exactly one acceptance each`, async () => {
  const r = await replayLoad('redis', N);
  assert.deepEqual(
    { once: r.acceptedOnce, twice: r.acceptedTwice, never: r.acceptedNever, other: r.otherAnswers },
    { once: N, twice: 0, never: 0, other: 0 },
  );
  console.log(`redis: ${r.perProcess.map((p) => `${p.verificationsPerSec}/s`).join(', ')} verifications per process`);
});

test(`in-memory store: the same load is accepted by both processes (why a shared store is needed)`, async () => {
  const r = await replayLoad('memory', N);
  assert.equal(r.acceptedTwice, N);
  assert.equal(r.otherAnswers, 0);
});
