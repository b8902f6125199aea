/**
 * The cost of a session policy: the same signatures with a 4-rule policy (maxPerMinute,
 * maxPerHour, a JSON Schema rule, a cap) and without one, in real Chromium (interleaved, so
 * background load hurts both alike), and the gate's policy work alone in Node (V8, as in the
 * worker), per signature.
 * @module
 */
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { createSession, type Extension } from '../test/e2e/harness.js';
import { SessionPolicyRuntime } from '../background/policy/session-policy.js';
import type { PolicyStates } from '../background/policy/state-store.js';
import type { SessionPolicy } from '../src/protocol/policy.js';
import { spread } from './table.js';

export const BENCH_POLICY: SessionPolicy = {
  maxPerMinute: 10_000,
  maxPerHour: 100_000,
  rules: { 1: { type: 'object', properties: { side: { enum: ['buy', 'sell'] }, qty: { type: 'number', exclusiveMinimum: 0, maximum: 100 }, symbol: { type: 'string', maxLength: 16 } }, required: ['side', 'qty'], additionalProperties: false } },
  caps: [{ requestType: 1, pointer: '/qty', max: 1e12 }],
};
const BODY = { side: 'buy', qty: 1, symbol: 'BTC-USD' };
const ROUNDS_PER_SESSION = 4;

const round = (x: number, digits = 4) => Number(x.toFixed(digits));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The bench page's own loops (bench/page.ts), the ones the core figures use. */
const sequential = async (page: Page, sessionId: string, n: number, body: string) =>
  mean(await page.evaluate(({ sessionId, n, body }) => window.keyholdBench.keyholdSequential(sessionId, n, body), { sessionId, n, body }));
const concurrent = (page: Page, sessionId: string, n: number, body: string) =>
  page.evaluate(({ sessionId, n, body }) => window.keyholdBench.keyholdConcurrent(sessionId, n, body), { sessionId, n, body });
const median = (xs: readonly number[]) => spread([...xs]).median;

/** The machine's load average (what `uptime` prints): the bench shares the machine. */
const load = () => loadavg().map((x) => round(x, 2));

/**
 * In Chromium: sequential latency and concurrent throughput, with and without the policy, in
 * interleaved rounds (the order alternates, so background load hurts both alike), as medians.
 * Each policy session serves at most {@link ROUNDS_PER_SESSION} throughput rounds, so it stays
 * well under its 10,000 a minute: a session near its limit writes its counts more often (its
 * reservation is a quarter of the room left), which is the cost of being refused soon, not of
 * checking.
 */
export async function policyFigures(ext: Extension, page: Page, opts = { blocks: 30, perBlock: 60, concurrent: 2000, rounds: 24 }) {
  const loadBefore = load();
  const make = (label: string, policy?: SessionPolicy) => createSession(ext.context, page, { ttlSeconds: 3600, requestTypes: [1], label, ...(policy ? { policy } : {}) });
  const seqPolicy = await make('bench policy');
  const without = await make('bench plain');
  const tputPolicies: string[] = [];
  for (let i = 0; i < Math.ceil(opts.rounds / ROUNDS_PER_SESSION); i++) tputPolicies.push((await make(`bench policy ${i + 2}`, BENCH_POLICY)).id);
  const body = Buffer.from(JSON.stringify(BODY)).toString('base64');
  // Warm-up: each session's runtime loaded and its rule compiled, the worker's code optimised.
  await sequential(page, seqPolicy.id, 200, body);
  await sequential(page, without.id, 200, body);
  for (const id of tputPolicies) await concurrent(page, id, 200, body);
  await concurrent(page, without.id, 200, body);

  const seq = { policy: [] as number[], plain: [] as number[] };
  for (let i = 0; i < opts.blocks; i++) {
    const order = i % 2 ? (['plain', 'policy'] as const) : (['policy', 'plain'] as const);
    for (const which of order) seq[which].push(await sequential(page, which === 'policy' ? seqPolicy.id : without.id, opts.perBlock, body));
  }
  const tput = { policy: [] as number[], plain: [] as number[] };
  let failed = 0;
  for (let i = 0; i < opts.rounds; i++) {
    const order = i % 2 ? (['plain', 'policy'] as const) : (['policy', 'plain'] as const);
    for (const which of order) {
      const r = await concurrent(page, which === 'policy' ? tputPolicies[Math.floor(i / ROUNDS_PER_SESSION)]! : without.id, opts.concurrent, body);
      failed += r.failed;
      tput[which].push((opts.concurrent * 1000) / r.ms);
    }
  }
  const policyMs = mean(seq.policy);
  const plainMs = mean(seq.plain);
  // On a loaded machine a block's mean swings by more than the policy costs: the median of the
  // paired differences (each policy block beside the plain block run next to it) resists that.
  const medianDiff = median(seq.policy.map((p, i) => p - seq.plain[i]!));
  const policyTput = median(tput.policy);
  const plainTput = median(tput.plain);
  return {
    sequentialMeanMs: { withPolicy: round(policyMs), without: round(plainMs), addedPerSignature: round(medianDiff), meanDifference: round(policyMs - plainMs), n: opts.blocks * opts.perBlock },
    throughput: {
      withPolicySignsPerSec: Math.round(policyTput),
      withoutSignsPerSec: Math.round(plainTput),
      /** 1 − (median with the policy) / (median without), over interleaved rounds. */
      loss: round(1 - policyTput / plainTput, 3),
      /** The median of each round's own loss (the policy run beside the plain run of its round). */
      pairedMedianLoss: round(median(tput.policy.map((p, i) => 1 - p / tput.plain[i]!)), 3),
      rounds: opts.rounds,
      perRound: opts.concurrent,
      samples: { withPolicy: tput.policy.map(Math.round), without: tput.plain.map(Math.round) },
      failedRequests: failed,
    },
    loadAverage: { before: loadBefore, after: load() },
  };
}

/**
 * In Node: the policy work of the gate per signature (evaluate, reserve, make durable), beside
 * the same for a session with no policy, in blocks of 1,000; the median block. Storage writes
 * are stubbed to finish at once (IndexedDB's run off the worker's thread: a signature waits on
 * one only when the stored reservation runs out, which the write ahead keeps rare), so this is
 * the CPU work, not a wait.
 */
export async function policyMicro(n = 50_000) {
  let writes = 0;
  const states = { put: () => (writes++, Promise.resolve()) } as unknown as PolicyStates;
  let clock = Date.now();
  const body = new TextEncoder().encode(JSON.stringify(BODY));
  const runtime = (policy: SessionPolicy) => new SessionPolicyRuntime('bench', clock + 3_600_000_000, policy, new Map(), undefined, states, () => clock);
  const withPolicy = runtime(BENCH_POLICY);
  const plain = runtime({});
  const block = async (rt: SessionPolicyRuntime, count: number) => {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      clock += 7; // below 10,000 a minute
      const v = rt.evaluate(1, body, clock);
      if (v.refused !== null) throw new Error(`bench policy refused: ${v.refused}`);
      // As the gate does: nothing to await when a slot of the stored reservation is taken.
      const durable = rt.makeDurable(rt.reserve(v.amounts, clock));
      if (durable) await durable;
    }
    return (performance.now() - t0) / count;
  };
  await block(withPolicy, 5000);
  await block(plain, 5000);
  writes = 0;
  const policyBlocks: number[] = [];
  const plainBlocks: number[] = [];
  for (let i = 0; i < n / 1000; i++) {
    policyBlocks.push(await block(withPolicy, 1000));
    plainBlocks.push(await block(plain, 1000));
  }
  return {
    perSignatureMs: round(median(policyBlocks) - median(plainBlocks), 5),
    withPolicyMs: round(median(policyBlocks), 5),
    withoutMs: round(median(plainBlocks), 5),
    n,
    storageWritesPerSignature: round(writes / n, 4),
  };
}
