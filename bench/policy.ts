/**
 * The cost of a session policy: the same signatures with a 4-rule policy (maxPerMinute,
 * maxPerHour, a JSON Schema rule, a cap) and without one, in real Chromium (interleaved, so
 * background load hurts both alike), and the gate's policy work alone in Node (V8, as in the
 * worker), per signature.
 * @module
 */
import type { Page } from 'playwright-core';
import { createSession, type Extension } from '../test/e2e/harness.js';
import { SessionPolicyRuntime } from '../background/policy/session-policy.js';
import type { PolicyStates } from '../background/policy/state-store.js';
import type { SessionPolicy } from '../src/protocol/policy.js';

export const BENCH_POLICY: SessionPolicy = {
  maxPerMinute: 10_000,
  maxPerHour: 100_000,
  rules: { 1: { type: 'object', properties: { side: { enum: ['buy', 'sell'] }, qty: { type: 'number', exclusiveMinimum: 0, maximum: 100 }, symbol: { type: 'string', maxLength: 16 } }, required: ['side', 'qty'], additionalProperties: false } },
  caps: [{ requestType: 1, pointer: '/qty', max: 1e12 }],
};
const BODY = { side: 'buy', qty: 1, symbol: 'BTC-USD' };

const round = (x: number, digits = 4) => Number(x.toFixed(digits));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const sequential = (page: Page, sessionId: string, n: number, body: string) =>
  page.evaluate(
    async ({ sessionId, n, body }) => {
      const params = [{ sessionId, requestType: 1, body }];
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await window.keyhold!.request({ method: 'keyhold_signRequest', params });
      return (performance.now() - t0) / n;
    },
    { sessionId, n, body },
  );

const concurrent = (page: Page, sessionId: string, n: number, body: string) =>
  page.evaluate(
    async ({ sessionId, n, body }) => {
      const t0 = performance.now();
      const settled = await Promise.allSettled(Array.from({ length: n }, () => window.keyhold!.request({ method: 'keyhold_signRequest', params: [{ sessionId, requestType: 1, body }] })));
      return { ms: performance.now() - t0, failed: settled.filter((s) => s.status === 'rejected').length };
    },
    { sessionId, n, body },
  );

/** In Chromium: mean sequential latency and best throughput, with and without the policy. */
export async function policyFigures(ext: Extension, page: Page, opts = { blocks: 30, perBlock: 60, concurrent: 2000, runs: 4 }) {
  const withPolicy = await createSession(ext.context, page, { ttlSeconds: 3600, requestTypes: [1], label: 'bench policy', policy: BENCH_POLICY });
  const without = await createSession(ext.context, page, { ttlSeconds: 3600, requestTypes: [1], label: 'bench plain' });
  const body = Buffer.from(JSON.stringify(BODY)).toString('base64');
  await sequential(page, withPolicy.id, 200, body);
  await sequential(page, without.id, 200, body);
  const seq = { policy: [] as number[], plain: [] as number[] };
  for (let i = 0; i < opts.blocks; i++) {
    // Alternate which goes first, so neither always runs right after the other's burst.
    const order = i % 2 ? (['plain', 'policy'] as const) : (['policy', 'plain'] as const);
    for (const which of order) seq[which].push(await sequential(page, which === 'policy' ? withPolicy.id : without.id, opts.perBlock, body));
  }
  const tput = { policy: [] as number[], plain: [] as number[] };
  let failed = 0;
  for (let i = 0; i < opts.runs; i++) {
    for (const which of ['plain', 'policy'] as const) {
      const r = await concurrent(page, which === 'policy' ? withPolicy.id : without.id, opts.concurrent, body);
      failed += r.failed;
      tput[which].push((opts.concurrent * 1000) / r.ms);
    }
  }
  const policyMs = mean(seq.policy);
  const plainMs = mean(seq.plain);
  // On a loaded machine a block's mean swings by more than the policy costs: the median of the
  // paired differences (each policy block beside the plain block run next to it) resists that.
  const diffs = seq.policy.map((p, i) => p - seq.plain[i]!).sort((a, b) => a - b);
  const medianDiff = diffs[Math.floor(diffs.length / 2)]!;
  const policyTput = Math.max(...tput.policy);
  const plainTput = Math.max(...tput.plain);
  return {
    sequentialMeanMs: { withPolicy: round(policyMs), without: round(plainMs), addedPerSignature: round(medianDiff), meanDifference: round(policyMs - plainMs), n: opts.blocks * opts.perBlock },
    throughput: { withPolicySignsPerSec: Math.round(policyTput), withoutSignsPerSec: Math.round(plainTput), loss: round(1 - policyTput / plainTput, 3), failedRequests: failed },
  };
}

/** In Node: the gate's policy work per signature (evaluate + reserve + durable), storage writes stubbed as instant. */
export async function policyMicro(n = 50_000) {
  let writes = 0;
  // A write takes a little while, as IndexedDB's does: signatures meanwhile use the stored reservation.
  const states = { put: () => new Promise<void>((r) => (writes++, setTimeout(r, 1))) } as unknown as PolicyStates;
  let clock = Date.now();
  const rt = new SessionPolicyRuntime('bench', clock + 3_600_000, BENCH_POLICY, new Map(), undefined, states, () => clock);
  const body = new TextEncoder().encode(JSON.stringify(BODY));
  for (let i = 0; i < 2000; i++) {
    clock += 7; // below 10,000 a minute
    const v = rt.evaluate(1, body, clock);
    if (v.refused !== null) throw new Error(`bench policy refused: ${v.refused}`);
    await rt.makeDurable(rt.reserve(v.amounts, clock));
  }
  writes = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    clock += 7;
    const v = rt.evaluate(1, body, clock);
    if (v.refused !== null) throw new Error(`bench policy refused: ${v.refused}`);
    await rt.makeDurable(rt.reserve(v.amounts, clock));
  }
  return { perSignatureMs: round((performance.now() - t0) / n, 5), n, storageWritesPerSignature: round(writes / n, 4) };
}
