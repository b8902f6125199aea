/**
 * Two reference-service instances sharing one Redis replay store (`replayGuard`, as
 * `--replay-store` sets it): a login nonce is single-use across them, a request accepted by one
 * is a 409 at the other (session-signed, master-signed, API endpoints of both verifier paths),
 * and with Redis down every signed endpoint fails closed (503 `replay_store_unavailable`) and
 * recovers when it is back (restarted with its data; a crash that loses it is covered in
 * test/unit/verify-redis.test.ts). Sessions are copied between the instances with the test hook, as a
 * fleet shares them in its database. Runs against a real `redis-server`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { connectRedisReplayGuard, type ConnectedRedisReplayGuard } from '../../packages/verify-redis/src/index.js';
import { startRedis, type RedisServer } from '../redis-server.js';
import { spawnService } from '../service-fleet.js';
import { MasterKey, SessionKey, loginFor, orderPayload, payload, post, scopeBody, start, uuidv7, type TestService } from './helpers.js';

const PUBLIC = 'http://svc.test';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('service: a Redis replay store shared by two instances', () => {
  let redis: RedisServer;
  const stores: ConnectedRedisReplayGuard[] = [];
  let a: TestService;
  let b: TestService;
  before(async () => {
    redis = await startRedis();
    for (let i = 0; i < 2; i++) stores.push(await connectRedisReplayGuard(redis.url));
    a = await start({ origins: [PUBLIC], replayGuard: stores[0]!.guard, testHooks: true });
    b = await start({ origins: [PUBLIC], replayGuard: stores[1]!.guard, testHooks: true });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    for (const s of stores) await s.close();
    await redis?.stop();
  });

  /** Logs in at `a` for the public origin, and copies the session to `b`. */
  async function loginAtA(master: MasterKey) {
    const key = new SessionKey();
    const id = uuidv7(a.now);
    const body = master.sign(loginFor(a, master, key, id, { site: PUBLIC, audience: PUBLIC }));
    const answer = await post(a, '/api/v1/login', body);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    const exported = await (await fetch(`${a.url}/api/v1/_test/sessions`)).json();
    assert.equal((await post(b, '/api/v1/_test/sessions', exported)).status, 200);
    return { key, body, deviceKey: answer.json.device_key as string };
  }

  test('a login nonce is single-use across instances', async () => {
    const { body } = await loginAtA(new MasterKey());
    const again = await post(b, '/api/v1/login', body);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'replayed_login');
  });

  test('an order accepted at one instance is a 409 at both', async () => {
    const { key, deviceKey } = await loginAtA(new MasterKey());
    const order = key.sign(orderPayload(a.now));
    const headers = { 'x-device-key': deviceKey };
    assert.equal((await post(a, '/api/v1/orders', order, headers)).status, 200);
    for (const s of [b, a]) {
      const r = await post(s, '/api/v1/orders', order, headers);
      assert.equal(r.status, 409);
      assert.equal(r.json.error.code, 'replayed_request');
    }
    // a fresh order at the other instance is fine: the session was copied, only the id is used
    assert.equal((await post(b, '/api/v1/orders', key.sign(orderPayload(b.now)), headers)).status, 200);
  });

  test('a master ListSessions and a /verify call accepted at one instance are 409s at the other', async () => {
    const master = new MasterKey();
    const { key, deviceKey } = await loginAtA(master);
    const list = master.sign(payload({ signatureType: 2, requestType: 47, body: scopeBody(PUBLIC), issuedAtMs: a.now }));
    assert.equal((await post(b, '/api/v1/auth/sessions/list', list)).status, 200);
    assert.equal((await post(a, '/api/v1/auth/sessions/list', list)).json.error.code, 'replayed_request');
    const v = key.sign(orderPayload(a.now));
    assert.equal((await post(a, '/api/v1/verify', v, { 'x-device-key': deviceKey })).status, 200);
    assert.equal((await post(b, '/api/v1/verify', v, { 'x-device-key': deviceKey })).status, 409);
  });

  test('Redis restarted: login, orders, list and verify fail closed (503) meanwhile, a replay is never accepted; all recover', async () => {
    const master = new MasterKey();
    const { key, deviceKey } = await loginAtA(master);
    const headers = { 'x-device-key': deviceKey };
    const used = key.sign(orderPayload(a.now));
    assert.equal((await post(a, '/api/v1/orders', used, headers)).status, 200);
    await redis.stop({ save: true });
    const fresh = key.sign(orderPayload(a.now));
    const list = master.sign(payload({ signatureType: 2, requestType: 47, body: scopeBody(PUBLIC), issuedAtMs: a.now }));
    const login = master.sign(loginFor(a, master, new SessionKey(), uuidv7(a.now), { site: PUBLIC, audience: PUBLIC }));
    for (const s of [a, b]) {
      for (const [path, body, h] of [['/api/v1/orders', used, headers], ['/api/v1/orders', fresh, headers], ['/api/v1/verify', fresh, headers], ['/api/v1/auth/sessions/list', list, {}], ['/api/v1/login', login, {}]] as const) {
        const r = await post(s, path, body, h);
        assert.equal(r.status, 503, `${path}: ${JSON.stringify(r.json)}`);
        assert.equal(r.json.error.code, 'replay_store_unavailable');
      }
    }
    await redis.start();
    const deadline = Date.now() + 15_000;
    let r = await post(b, '/api/v1/orders', fresh, headers);
    while (r.status === 503 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 100));
      r = await post(b, '/api/v1/orders', fresh, headers);
    }
    assert.equal(r.status, 200, JSON.stringify(r.json));
    for (const s of [a, b]) {
      // Each process's client reconnects on its own: wait for this one to answer at all (503 is
      // still "store unavailable", never an acceptance), then the replays are refused.
      let again = await post(s, '/api/v1/orders', fresh, headers);
      while (again.status === 503 && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 100));
        again = await post(s, '/api/v1/orders', fresh, headers);
      }
      assert.equal(again.status, 409, JSON.stringify(again.json));
      assert.equal((await post(s, '/api/v1/orders', used, headers)).status, 409);
    }
  });
});

describe('service/main.ts --replay-store', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  test('two processes started with --replay-store share it: a master call accepted at one is a 409 at the other', async () => {
    const args = ['--replay-store', redis.url, '--origin', PUBLIC];
    const processes = await Promise.all([spawnService(args), spawnService(args)]);
    try {
      assert.match(processes[0]!.log(), new RegExp(`replay store: redis://127\\.0\\.0\\.1:${redis.port}`));
      const master = new MasterKey();
      const list = master.sign(payload({ signatureType: 2, requestType: 47, body: scopeBody(PUBLIC), issuedAtMs: Date.now() }));
      assert.equal((await post(processes[0]!, '/api/v1/auth/sessions/list', list)).status, 200);
      const again = await post(processes[1]!, '/api/v1/auth/sessions/list', list);
      assert.equal(again.status, 409);
      assert.equal(again.json.error.code, 'replayed_request');
    } finally {
      for (const p of processes) await p.stop();
    }
  });

  test('a URL that is not redis://, or a Redis that refuses the password, stops it with exit code 2 and no secret in the output', async () => {
    for (const url of ['http://127.0.0.1:1', `redis://someone:s3cret-pw@127.0.0.1:${redis.port}`]) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'service/main.ts', '--replay-store', url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const [code] = await once(child, 'exit');
      assert.equal(code, 2, out);
      assert.match(out, /--replay-store/);
      assert.doesNotMatch(out, /s3cret-pw|listening on/);
    }
  });
});
