/**
 * `@keyhold/verify-redis` against a real `redis-server` (started here on a free loopback port):
 * the key format (cluster-safe single keys), `SET NX PX` semantics (first claim wins, also
 * concurrently and across verifier instances), the TTL equal to what is left of the auth
 * window, login nonces, fail closed (Redis down or silent → 503, never accepted) and recovery.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@redis/client';
import { Verifier, VerifyError, parseEnvelope } from '../../packages/verify/src/index.js';
import { DEFAULT_PREFIX, RedisReplayGuard, connectRedisReplayGuard, replayKey, type ConnectedRedisReplayGuard } from '../../packages/verify-redis/src/index.js';
import { startRedis, type RedisServer } from '../redis-server.js';
import { SessionKey, orderPayload, uuidv7 } from '../service/helpers.js';

/** The lossWindowMs of the guards below, and the longest life of their requests. */
const LOSS = 1500;
const isErr = (status: number, code: string) => (e: unknown) => e instanceof VerifyError && e.status === status && e.code === code;

describe('verify-redis: key format', () => {
  test('a request id is <prefix><32 hex>, a login nonce <prefix>login-nonce:<nonce>', () => {
    const id = '0192f3a4b5c6d7e8f9a0b1c2d3e4f5a6';
    assert.equal(DEFAULT_PREFIX, 'keyhold:replay:');
    assert.equal(replayKey(DEFAULT_PREFIX, id), `keyhold:replay:${id}`);
    assert.equal(replayKey('svc1:', 'login-nonce:abc123'), 'svc1:login-nonce:abc123');
  });
  test('keys the verifier never claims are refused (no injection of other keys)', () => {
    for (const bad of ['', 'ABCDEF0123456789ABCDEF0123456789', '0'.repeat(31), 'login-nonce:', 'login-nonce:a b', 'x\r\nFLUSHALL']) {
      assert.throws(() => replayKey(DEFAULT_PREFIX, bad), RangeError, bad);
    }
  });
  test('a prefix with a cluster hash tag is refused (every key would land in one slot)', () => {
    const client = { set: async () => 'OK' };
    assert.throws(() => new RedisReplayGuard({ client, prefix: '{keyhold}:' }), RangeError);
    assert.doesNotThrow(() => new RedisReplayGuard({ client, prefix: 'a:b:' }));
  });
  test('one claim is one SET NX PX with the window left as ttl (at least 1 ms)', async () => {
    const calls: unknown[][] = [];
    const guard = new RedisReplayGuard({ client: { set: async (...args: unknown[]) => (calls.push(args), calls.length === 1 ? 'OK' : null) } });
    assert.equal(await guard.claim('ab'.repeat(16), 61_000, 1_000), true);
    assert.equal(await guard.claim('ab'.repeat(16), 1_000, 1_000), false);
    assert.deepEqual(calls, [
      [`keyhold:replay:${'ab'.repeat(16)}`, '1', { condition: 'NX', expiration: { type: 'PX', value: 60_000 } }],
      [`keyhold:replay:${'ab'.repeat(16)}`, '1', { condition: 'NX', expiration: { type: 'PX', value: 1 } }],
    ]);
  });
  test('fails closed on an unexpected reply and on no answer in time', async () => {
    await assert.rejects(new RedisReplayGuard({ client: { set: async () => 'QUEUED' } }).claim('ab'.repeat(16), 2, 1));
    const silent = new RedisReplayGuard({ client: { set: () => new Promise(() => {}) }, timeoutMs: 50 });
    await assert.rejects(silent.claim('ab'.repeat(16), 60_000, 1), /no answer in time/);
    const verifier = new Verifier({ replayGuard: silent });
    const key = new SessionKey();
    await assert.rejects(verifier.verifySigned(parseEnvelope(key.sign(orderPayload(Date.now()))), { signer: 'any' }), isErr(503, 'replay_store_unavailable'));
  });
});

describe('verify-redis: against redis-server', () => {
  let redis: RedisServer;
  let a: ConnectedRedisReplayGuard;
  let b: ConnectedRedisReplayGuard;
  let probe: ReturnType<typeof createClient>;
  before(async () => {
    redis = await startRedis();
    // requests in these tests live at most LOSS ms (claim to expiry), so the guards may forget after that
    a = await connectRedisReplayGuard(redis.url, { lossWindowMs: LOSS });
    b = await connectRedisReplayGuard(redis.url, { lossWindowMs: LOSS });
    probe = createClient({ url: redis.url });
    probe.on('error', () => {}); // it sees Redis restart; the guards' clients are under test
    await probe.connect();
  });
  after(async () => {
    await a?.close();
    await b?.close();
    if (probe?.isOpen) await probe.close();
    await redis?.stop();
  });

  test('a request accepted by one verifier is a 409 at another sharing the store; the key expires with the window', async () => {
    const now = Date.now();
    const va = new Verifier({ replayGuard: a.guard, clock: () => now });
    const vb = new Verifier({ replayGuard: b.guard, clock: () => now });
    const p = orderPayload(now);
    const signed = new SessionKey().sign(p);
    const r = await va.verifySigned(parseEnvelope(signed), { signer: 'any' });
    await assert.rejects(vb.verifySigned(parseEnvelope(signed), { signer: 'any' }), isErr(409, 'replayed_request'));
    await assert.rejects(va.verifySigned(parseEnvelope(signed), { signer: 'any' }), isErr(409, 'replayed_request'));
    const key = `keyhold:replay:${r.requestId.replaceAll('-', '')}`;
    assert.equal(await probe.get(key), '1');
    const pttl = await probe.pTTL(key);
    // the auth window left, plus the verifier's stated skew (the ReplayGuard contract)
    const window = r.expiresAtMs + va.clockSkew.behindMs - now;
    assert.ok(pttl > window - 5_000 && pttl <= window, `pttl ${pttl} vs window ${window}`);
  });

  test('of 50 concurrent claims of one id from two clients exactly one wins', async () => {
    const id = uuidv7().toString('hex');
    const now = Date.now();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).guard.claim(id, now + 60_000, now)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  test('a claim is kept exactly as long as asked, then forgotten (no unbounded growth)', async () => {
    const id = uuidv7().toString('hex');
    const now = Date.now();
    assert.equal(await a.guard.claim(id, now + 150, now), true);
    assert.equal(await b.guard.claim(id, now + 150, now), false);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(await probe.exists(`keyhold:replay:${id}`), 0);
    assert.equal(await b.guard.claim(id, Date.now() + 150, Date.now()), true);
  });

  test('a login nonce is claimed once across clients', async () => {
    const now = Date.now();
    assert.equal(await a.guard.claim('login-nonce:n0nce-1', now + 60_000, now), true);
    assert.equal(await b.guard.claim('login-nonce:n0nce-1', now + 60_000, now), false);
    assert.ok((await probe.pTTL('keyhold:replay:login-nonce:n0nce-1')) > 55_000);
  });

  test('Redis crashed (claims lost): fail closed (503) while down and for the loss window after, never accepting a replay; then recover', async () => {
    const key = new SessionKey();
    const verifier = new Verifier({ replayGuard: a.guard, clockSkew: { aheadMs: 0, behindMs: 0 } });
    const short = () => {
      const now = Date.now();
      return key.sign(orderPayload(now, { side: 'buy', qty: 1 }, { issuedAtMs: now, expiresAtMs: now + LOSS - 200 }));
    };
    const used = short();
    await verifier.verifySigned(parseEnvelope(used), { signer: 'any' });
    await redis.stop();
    await assert.rejects(verifier.verifySigned(parseEnvelope(short()), { signer: 'any' }), isErr(503, 'replay_store_unavailable'));
    await assert.rejects(verifier.verifySigned(parseEnvelope(used), { signer: 'any' }), isErr(503, 'replay_store_unavailable'));
    await redis.start();
    const deadline = Date.now() + 20_000;
    let sawQuarantine = false;
    for (;;) {
      // the replay of `used` is never accepted: 503 (down, quarantined) or 401 (expired) only
      const replay = await verifier.verifySigned(parseEnvelope(used), { signer: 'any' }).then(() => 'accepted', (e: VerifyError) => `${e.status} ${e.code}`);
      assert.match(replay, /^(503 replay_store_unavailable|401 auth_expired)$/);
      if (a.guard.quarantineUntilMs > 0) sawQuarantine = true;
      const fresh = short();
      const r = await verifier.verifySigned(parseEnvelope(fresh), { signer: 'any' }).then(() => 'accepted', (e: VerifyError) => `${e.status} ${e.code}`);
      if (r === 'accepted') {
        await assert.rejects(verifier.verifySigned(parseEnvelope(fresh), { signer: 'any' }), isErr(409, 'replayed_request'));
        break;
      }
      assert.equal(r, '503 replay_store_unavailable');
      assert.ok(Date.now() < deadline, 'did not recover');
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(sawQuarantine, 'the data loss was noticed');
    assert.ok(Date.now() >= a.guard.quarantineUntilMs);
  });

  test('Redis shut down with its data (SHUTDOWN SAVE) and back: 503 while down, then replays still 409, no quarantine', async () => {
    const key = new SessionKey();
    const verifier = new Verifier({ replayGuard: b.guard });
    const used = key.sign(orderPayload(Date.now()));
    await verifier.verifySigned(parseEnvelope(used), { signer: 'any' });
    const quarantine = b.guard.quarantineUntilMs;
    await redis.stop({ save: true });
    await assert.rejects(verifier.verifySigned(parseEnvelope(key.sign(orderPayload(Date.now()))), { signer: 'any' }), isErr(503, 'replay_store_unavailable'));
    await redis.start();
    const deadline = Date.now() + 15_000;
    const fresh = key.sign(orderPayload(Date.now()));
    for (;;) {
      const r = await verifier.verifySigned(parseEnvelope(fresh), { signer: 'any' }).then(() => 'accepted', (e: VerifyError) => `${e.status} ${e.code}`);
      if (r === 'accepted') break;
      assert.equal(r, '503 replay_store_unavailable');
      assert.ok(Date.now() < deadline, 'did not recover');
      await new Promise((res) => setTimeout(res, 100));
    }
    await assert.rejects(verifier.verifySigned(parseEnvelope(used), { signer: 'any' }), isErr(409, 'replayed_request'));
    assert.equal(b.guard.quarantineUntilMs, quarantine);
  });
});
