/**
 * The replay-store load test (issue 16): two reference-service processes (`service/main.ts`),
 * with the in-memory store and then sharing a Redis one (`--replay-store`, a `redis-server` of
 * its own on a free loopback port). N orders are signed ahead of time with the golden-vector
 * session key (test/vectors/signing.json, logged in with the vectors' secp256k1 master), then
 * every one is sent to both processes at once. Counts acceptances per request id and measures
 * verifications per second per process. Loopback only; bounded by N.
 * Alone: `BENCH_ONLY=replay npx tsx bench/run.ts` (`BENCH_REPLAY_N`, default 2000).
 * @module
 */
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startRedis } from '../test/redis-server.js';
import { MasterKey, b64, loginFor, orderPayload, uuidv7, type SessionKey, type TestService } from '../test/service/helpers.js';
import { shareSessions, spawnService, type ServiceProcess } from '../test/service-fleet.js';

const vectors = JSON.parse(readFileSync(new URL('../test/vectors/signing.json', import.meta.url), 'utf8')) as {
  keys: { ed25519: { seed: string; public_key: string }; secp256k1: { private_key: string } };
};

/** The golden-vector Ed25519 key as the tests' SessionKey. */
function vectorSessionKey(): SessionKey {
  const privateKey = createPrivateKey({ key: Buffer.from(`302e020100300506032b657004220420${vectors.keys.ed25519.seed}`, 'hex'), format: 'der', type: 'pkcs8' });
  const publicKey = Buffer.from(vectors.keys.ed25519.public_key, 'hex');
  return { privateKey, publicKey, sign: (p: Uint8Array) => ({ payload: b64(p), public_key: b64(publicKey), signature: b64(sign(null, p, privateKey)) }) };
}

/** What one store's run measured. */
export interface ReplayLoadResult {
  store: 'memory' | 'redis';
  /** distinct signed requests, each sent once to each process */
  requests: number;
  /** request ids accepted exactly once / more than once / never */
  acceptedOnce: number;
  acceptedTwice: number;
  acceptedNever: number;
  /** answers other than 200 and 409 (e.g. 503) */
  otherAnswers: number;
  /** per process: requests it answered, wall time, verifications per second */
  perProcess: { answered: number; seconds: number; verificationsPerSec: number }[];
}

/**
 * Runs the load against two fresh processes with `store`.
 * @param n - signed requests (each sent to both processes: 2n verifications)
 * @param concurrency - requests in flight per process
 */
export async function replayLoad(store: 'memory' | 'redis', n: number, concurrency = 32): Promise<ReplayLoadResult> {
  const redis = store === 'redis' ? await startRedis() : undefined;
  const args = ['--origin', 'http://svc.bench', '--test-hooks', ...(redis ? ['--replay-store', redis.url] : [])];
  let processes: ServiceProcess[] = [];
  try {
    processes = await Promise.all([spawnService(args), spawnService(args)]);
    const key = vectorSessionKey();
    const master = new MasterKey(Buffer.from(vectors.keys.secp256k1.private_key, 'hex'));
    const svc = { url: 'http://svc.bench', now: Date.now() } as TestService;
    const login = master.sign(loginFor(svc, master, key, uuidv7(svc.now)));
    const answer = await fetch(`${processes[0]!.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
    if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${await answer.text()}`);
    const deviceKey = ((await answer.json()) as { device_key: string }).device_key;
    await shareSessions(processes);

    // Signed ahead of time, so the signer is not what is measured.
    const now = Date.now();
    const bodies = Array.from({ length: n }, (_, i) => JSON.stringify(key.sign(orderPayload(now, { side: 'buy', qty: i + 1 }))));
    const accepted = new Array<number>(n).fill(0);
    let otherAnswers = 0;
    const perProcess = await Promise.all(
      processes.map(async (p, which) => {
        // Each process takes the ids in a different order, so both race for most of them.
        const order = Array.from({ length: n }, (_, i) => (which === 0 ? i : n - 1 - i));
        let next = 0;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < n) {
              const i = order[next++]!;
              const r = await fetch(`${p.url}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': deviceKey }, body: bodies[i]! });
              await r.arrayBuffer();
              if (r.status === 200) accepted[i]!++;
              else if (r.status !== 409) otherAnswers++;
            }
          }),
        );
        const seconds = (performance.now() - t0) / 1000;
        return { answered: n, seconds: Number(seconds.toFixed(3)), verificationsPerSec: Math.round(n / seconds) };
      }),
    );
    return {
      store,
      requests: n,
      acceptedOnce: accepted.filter((a) => a === 1).length,
      acceptedTwice: accepted.filter((a) => a > 1).length,
      acceptedNever: accepted.filter((a) => a === 0).length,
      otherAnswers,
      perProcess,
    };
  } finally {
    for (const p of processes) await p.stop();
    await redis?.stop();
  }
}

/** Both stores side by side, as `npm run bench` reports them. */
export async function replayBench(n = Number(process.env.BENCH_REPLAY_N ?? 2000)): Promise<{ memory: ReplayLoadResult; redis: ReplayLoadResult; note: string }> {
  if (!Number.isSafeInteger(n) || n < 1 || n > 20_000) throw new Error('BENCH_REPLAY_N must be 1..20000 (the requests must be sent within their 60 s window)');
  return {
    memory: await replayLoad('memory', n),
    redis: await replayLoad('redis', n),
    note: 'two service processes on this machine, every request sent to both; memory: each process accepts each id once (a replay at the other is accepted); redis: one acceptance per id across both',
  };
}
