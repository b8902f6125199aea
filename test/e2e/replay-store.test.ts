/**
 * The reference service on more than one process (issue 16): a real `redis-server` (free
 * loopback port, no persistence) as the shared replay store, two `service/main.ts` processes
 * started with `--replay-store redis://…` behind a round-robin proxy of the test's own, and
 * Keyhold in Chromium (the built extension, a bring-your-own secp256k1 master page) signing.
 * Requests are accepted once and every replay at either process is a 409; the login nonce
 * Keyhold's login used is spent at both; with Redis restarted mid-run requests fail closed
 * (503), no replay is ever accepted, and the service recovers.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { approveNext, bundleForPage, call, launchExtension, ok, openDapp, startServer, type Extension, type FixtureServer } from './harness.js';
import { startRedis, type RedisServer } from '../redis-server.js';
import { shareSessions, spawnService, startRoundRobin, type RoundRobin, type ServiceProcess } from '../service-fleet.js';

const PLACE_ORDER = 1;
const order = (qty: number) => Buffer.from(JSON.stringify({ side: 'buy', qty })).toString('base64');

let redis: RedisServer;
let proxy: RoundRobin;
let processes: ServiceProcess[] = [];
let server: FixtureServer;
let ext: Extension;

before(async () => {
  redis = await startRedis();
  proxy = await startRoundRobin();
  const byo = await bundleForPage('test/e2e/byo-master.ts');
  server = await startServer({ '/byo.js': { type: 'text/javascript', body: byo } });
  const args = ['--replay-store', redis.url, '--origin', proxy.url, '--site', server.originA, '--site', server.originB, '--test-hooks'];
  processes = await Promise.all([spawnService(args), spawnService(args)]);
  proxy.backends.push(...processes.map((p) => p.url));
  ext = await launchExtension();
});
after(async () => {
  await ext?.close();
  await server?.close();
  await proxy?.close();
  for (const p of processes) await p.stop();
  await redis?.stop();
});

interface Active {
  id: string;
  deviceKey: string;
  page: Page;
}

/** A session logged in through the proxy by Keyhold with the page's own wallet, known to both processes. */
async function session(): Promise<Active> {
  const page = await openDapp(ext.context, server.urlA);
  await page.addScriptTag({ url: '/byo.js' });
  const address = await page.evaluate(() => (window as unknown as { byoMaster: { address: string } }).byoMaster.address);
  const pending = call<{ id: string; loginPayload: string }>(page, 'keyhold_createSession', [{ ttlSeconds: 3600, service: { baseUrl: proxy.url, address } }]);
  await approveNext(ext.context, 'Approve');
  const created = ok(await pending, 'createSession');
  const signature = await page.evaluate((p) => (window as unknown as { byoMaster: { signLoginPayload(p: string): string } }).byoMaster.signLoginPayload(p), created.loginPayload);
  ok(await call(page, 'keyhold_completeSession', [{ sessionId: created.id, signature }]), 'completeSession');
  await shareSessions(processes);
  const rows = ((await (await fetch(`${processes[0]!.url}/api/v1/_test/sessions`)).json()) as { sessions: { id: string; deviceKey: string }[] }).sessions;
  const row = rows.find((r) => r.id === created.id);
  assert.ok(row, 'the session is known');
  return { id: created.id, deviceKey: row.deviceKey, page };
}

const signed = async (s: Active, qty: number) =>
  ok(await call<Record<string, string>>(s.page, 'keyhold_signRequest', [{ sessionId: s.id, requestType: PLACE_ORDER, body: order(qty) }]), 'signRequest');

async function postAt(url: string, s: Active, envelope: Record<string, string>): Promise<{ status: number; code?: string }> {
  const r = await fetch(`${url}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': s.deviceKey }, body: JSON.stringify(envelope) });
  const body = (await r.json()) as { error?: { code: string } };
  return { status: r.status, ...(body.error && { code: body.error.code }) };
}

describe('two service processes sharing a Redis replay store', () => {
  test('requests signed by Keyhold are accepted once; every replay at either process is a 409', async () => {
    const s = await session();
    const before = [...proxy.served];
    // keyhold_send through the proxy: spread over both processes, each accepted.
    for (let i = 0; i < 4; i++) {
      const sent = ok(await call<{ status: number; body: { accepted?: boolean } }>(s.page, 'keyhold_send', [{ sessionId: s.id, path: '/api/v1/orders', requestType: PLACE_ORDER, body: order(i + 1) }]));
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal(sent.body.accepted, true);
    }
    assert.ok(proxy.served.every((n, i) => n > (before[i] ?? 0)), `both processes served: ${proxy.served}`);
    // Captured envelopes: the first post (through the proxy) is accepted, every replay refused.
    for (let i = 0; i < 4; i++) {
      const envelope = await signed(s, 10 + i);
      assert.equal((await postAt(proxy.url, s, envelope)).status, 200);
      for (const url of [...processes.map((p) => p.url), proxy.url]) assert.deepEqual(await postAt(url, s, envelope), { status: 409, code: 'replayed_request' }, url);
    }
  });

  test("the login nonce of Keyhold's login is single-use across processes", async () => {
    const count = proxy.logins.length;
    await session();
    assert.equal(proxy.logins.length, count + 1, 'the login went through the proxy');
    const login = proxy.logins.at(-1)!;
    for (const p of processes) {
      const r = await fetch(`${p.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: login.toString('utf8') });
      assert.equal(r.status, 409, p.url);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'replayed_login');
    }
  });

  test('Redis restarted mid-run: requests fail closed (503), no replay is accepted, and the service recovers', async () => {
    const s = await session();
    const used = await signed(s, 100);
    assert.equal((await postAt(proxy.url, s, used)).status, 200);
    await redis.stop({ save: true });
    try {
      for (let i = 0; i < 2; i++) {
        const sent = ok(await call<{ status: number; body: { error?: { code: string } } }>(s.page, 'keyhold_send', [{ sessionId: s.id, path: '/api/v1/orders', requestType: PLACE_ORDER, body: order(200 + i) }]));
        assert.equal(sent.status, 503, JSON.stringify(sent.body));
        assert.equal(sent.body.error?.code, 'replay_store_unavailable');
      }
      const fresh = await signed(s, 300);
      for (const p of processes) {
        assert.deepEqual(await postAt(p.url, s, used), { status: 503, code: 'replay_store_unavailable' });
        assert.deepEqual(await postAt(p.url, s, fresh), { status: 503, code: 'replay_store_unavailable' });
      }
    } finally {
      await redis.start();
    }
    // Recovery: both processes reconnect; the claims made before the restart still hold.
    const deadline = Date.now() + 30_000;
    for (const p of processes) {
      for (;;) {
        const r = await postAt(p.url, s, used);
        if (r.status === 409) break;
        assert.deepEqual(r, { status: 503, code: 'replay_store_unavailable' }, 'a replay is never accepted');
        assert.ok(Date.now() < deadline, 'did not recover');
        await new Promise((res) => setTimeout(res, 200));
      }
    }
    for (let i = 0; i < 2; i++) {
      const sent = ok(await call<{ status: number; body: unknown }>(s.page, 'keyhold_send', [{ sessionId: s.id, path: '/api/v1/orders', requestType: PLACE_ORDER, body: order(400 + i) }]));
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
    }
  });
});
