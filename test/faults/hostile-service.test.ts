/**
 * A hostile service against the real extension in real Chromium: three `node:http` services on
 * 127.0.0.1 (with CORS, as a service answers a worker) answer the login of a pending service
 * session with a 10 MB body, a body that never ends, and garbage — all three at once. The page
 * gets -32603 naming the service within a bound (the worker's 15 s timeout at most), the
 * worker keeps signing for the page meanwhile, each session stays pending and whole, and once
 * the services behave, the same sessions complete and send.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { call, launchExtension, ok, openDapp, startServer, type Extension, type FixtureServer, type SessionInfo, bundleForPage } from '../e2e/harness.js';
import { fire, installBurst, newSession, noApprovalWindow, outcomes, tally } from './browser.js';
import { record } from './counts.js';
import { HOSTILE, acceptLogin, startHostileService, type HostileService } from './hostile-service.js';

/** The worker's own timeout is 15 s (`SERVICE_TIMEOUT_MS`); every login must end within this. */
const LOGIN_BOUND_MS = 20_000;
/** A signature asked while the logins hang must still be this fast. */
const SIGN_BOUND_MS = 3_000;
const FAULTS = ['a 10 MB body', 'a body that never ends', 'binary garbage labelled JSON'] as const;

type ServiceSessionInfo = SessionInfo & { status?: string; loginPayload?: string };

let server: FixtureServer;
let ext: Extension;
const services = new Map<string, HostileService>();

before(async () => {
  const byo = await bundleForPage('test/e2e/byo-master.ts');
  server = await startServer({ '/byo.js': { type: 'text/javascript', body: byo } });
  for (const fault of FAULTS) services.set(fault, await startHostileService(HOSTILE[fault]));
  ext = await launchExtension();
});
after(async () => {
  await ext?.close();
  await server?.close();
  for (const s of services.values()) await s.close();
});

const signLogin = (page: Page, payload: string): Promise<string> =>
  page.evaluate((p) => (window as unknown as { byoMaster: { signLoginPayload(p: string): string } }).byoMaster.signLoginPayload(p), payload);

describe('a hostile service answering the login', () => {
  test('a 10 MB body, a body that never ends and garbage, at once: -32603 naming each service in bounded time; signatures keep flowing; the sessions stay pending and later complete', async () => {
    const page = await openDapp(ext.context, server.urlA);
    await page.addScriptTag({ url: '/byo.js' });
    const local = await newSession(ext.context, page, { ttlSeconds: 600, label: 'signs meanwhile' });
    const pending = new Map<string, ServiceSessionInfo>();
    for (const fault of FAULTS) {
      const address = await page.evaluate(() => (window as unknown as { byoMaster: { address: string } }).byoMaster.address);
      const s = (await newSession(ext.context, page, { ttlSeconds: 600, service: { baseUrl: services.get(fault)!.url, address } })) as ServiceSessionInfo;
      assert.equal(s.status, 'pending');
      pending.set(fault, s);
    }
    await noApprovalWindow(ext.context);
    await installBurst(page);

    // All three logins at once, each timed in the page.
    const signatures = new Map<string, string>();
    for (const [fault, s] of pending) signatures.set(fault, await signLogin(page, s.loginPayload!));
    const logins = page.evaluate(async (calls) => {
      return Promise.all(
        calls.map(async ({ sessionId, signature }) => {
          const t0 = performance.now();
          try {
            await window.keyhold!.request({ method: 'keyhold_completeSession', params: [{ sessionId, signature }] });
            return { ms: performance.now() - t0, code: 0, message: 'completed' };
          } catch (e) {
            const err = e as { code: number; message: string };
            return { ms: performance.now() - t0, code: err.code, message: err.message };
          }
        }),
      );
    }, [...pending].map(([fault, s]) => ({ sessionId: s.id, signature: signatures.get(fault)! })));
    let settled = false;
    void logins.finally(() => (settled = true));

    // Meanwhile the page keeps asking for signatures, 25 every 250 ms.
    let asked = 0;
    while (!settled) {
      await fire(page, local.id, 25, SIGN_BOUND_MS);
      asked += 25;
      await new Promise((r) => setTimeout(r, 250));
    }
    const answers = await logins;
    const { list, answeredTwice } = await outcomes(page);
    const t = tally(list, [local]);

    record('hostile service (browser)', {
      hostileServiceAnswers: FAULTS.length,
      badInputs: FAULTS.length,
      signatures: asked,
      verified: t.verified,
      disconnected: t.disconnected,
      requestsLost: t.hung + answeredTwice,
    });

    [...pending.keys()].forEach((fault, i) => {
      const a = answers[i]!;
      const url = services.get(fault)!.url;
      assert.equal(a.code, -32603, `${fault}: ${a.message}`);
      assert.ok(a.message.includes(url), `${fault}: the message names the service: ${a.message}`);
      assert.ok(a.ms < LOGIN_BOUND_MS, `${fault}: answered after ${a.ms} ms`);
    });
    assert.match(answers[0]!.message, /too-large/);
    assert.match(answers[1]!.message, /timeout/);
    assert.ok(asked >= 25 && t.verified === asked, `every signature asked meanwhile verified (${t.verified} of ${asked})`);
    assert.equal(t.hung + t.disconnected + answeredTwice, 0, 'none hung, failed or was answered twice');
    assert.ok(t.maxMs < SIGN_BOUND_MS, `slowest signature while the logins hung: ${t.maxMs} ms`);
    assert.ok(answers[1]!.ms > 10_000, 'the never-ending answer really was waited on (and the signatures ran meanwhile)');

    // Each session is as it was: pending, with its login payload.
    const listed = ok(await call<ServiceSessionInfo[]>(page, 'keyhold_listSessions'));
    for (const [fault, s] of pending) {
      const now = listed.find((x) => x.id === s.id);
      assert.equal(now?.status, 'pending', `${fault}: still pending`);
      assert.equal(now?.loginPayload, s.loginPayload, `${fault}: the same login payload`);
    }
    // Once the services behave, the same sessions log in and send.
    for (const [fault, s] of pending) {
      services.get(fault)!.behave = acceptLogin();
      const done = ok(await call<ServiceSessionInfo>(page, 'keyhold_completeSession', [{ sessionId: s.id, signature: signatures.get(fault)! }]), `${fault}: complete`);
      assert.equal(done.status, 'active');
      const sent = ok(await call<{ status: number; body: unknown }>(page, 'keyhold_send', [{ sessionId: s.id, path: '/api/v1/orders', requestType: 1, body: 'AQID' }]));
      assert.deepEqual(sent, { status: 200, body: { accepted: true } });
      assert.equal(services.get(fault)!.received.at(-1)!.headers['x-device-key'], Buffer.alloc(32, 9).toString('base64'), 'the device key it issued');
    }
  });
});

describe('a network attacker between the worker and a service', () => {
  test("the worker's CSP refuses plain http to any host but loopback; https and loopback http pass it", async () => {
    const worker = ext.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${ext.extensionId}/`))!;
    const loopback = services.get('binary garbage labelled JSON')!.url;
    const blocked = await worker.evaluate(async (urls) => {
      const seen: string[] = [];
      self.addEventListener('securitypolicyviolation', (e) => seen.push((e as SecurityPolicyViolationEvent).blockedURI));
      // 192.0.2.1 is TEST-NET-1: nothing answers there; only the CSP's verdict matters.
      for (const url of urls) await fetch(url, { method: 'POST', signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      return seen;
    }, ['http://192.0.2.1:8080/api/v1/login', 'http://10.0.0.1/api/v1/logout', 'https://192.0.2.1/api/v1/login', `${loopback}/api/v1/login`]);
    record('CSP: plain http to the network', { badInputs: 2 });
    assert.deepEqual(blocked.map((u) => new URL(u).origin).sort(), ['http://10.0.0.1', 'http://192.0.2.1:8080'], 'exactly the plain-http, non-loopback requests are blocked');
  });
});
