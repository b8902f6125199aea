/**
 * End-to-end tests of the Firefox build (`dist-firefox/`) in real headless Firefox ESR:
 * discovery, approval, signing (checked with node:crypto and the independent wire parser),
 * origin isolation, the relay's source check under Firefox's Xray wrappers, revocation and the
 * toolbar popup. The Chromium suite (`test/e2e/`) goes deeper; this one proves the same build
 * works in the other engine.
 * Run after `npm run build`: `node --import tsx --test --test-concurrency=1 test/e2e-firefox/*.test.ts`.
 * @module
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'puppeteer-core';
import {
  UUID_RE,
  fromBase64,
  ok,
  parsePayload,
  startServer,
  toBase64,
  verifyEd25519,
  type FixtureServer,
  type RpcOutcome,
  type SessionInfo,
} from '../e2e/harness.js';
import {
  approveNext,
  call,
  decide,
  launchFirefox,
  nextApprovalPage,
  openDapp,
  openExtensionPage,
  type FirefoxExtension,
} from './harness.js';

interface Envelope {
  payload: string;
  public_key: string;
  signature: string;
}

const sign = (page: Page, sessionId: string, requestType: number, body: Uint8Array) =>
  call<Envelope>(page, 'keyhold_signRequest', [{ sessionId, requestType, body: toBase64(body) }]);

const listIds = async (page: Page) =>
  ok(await call<SessionInfo[]>(page, 'keyhold_listSessions', []), 'keyhold_listSessions').map((s) => s.id);

function assertError(outcome: RpcOutcome, code: number, what: string): void {
  assert.ok(outcome.error, `${what}: expected error ${code}, got result ${JSON.stringify(outcome.result)?.slice(0, 200)}`);
  assert.equal(outcome.error.code, code, `${what}: wrong code (message: ${outcome.error.message})`);
}

/** `keyhold_createSession` with the approval window clicked through. */
async function createSession(browser: Browser, page: Page, params: Record<string, unknown>): Promise<SessionInfo> {
  const pending = call<SessionInfo>(page, 'keyhold_createSession', [params]);
  await approveNext(browser, 'Approve');
  return ok(await pending, 'keyhold_createSession');
}

describe('Keyhold in Firefox', () => {
  let server: FixtureServer;
  let ext: FirefoxExtension;
  let browser: Browser;
  let pageA: Page;
  let pageB: Page;

  before(async () => {
    server = await startServer();
    ext = await launchFirefox();
    browser = ext.browser;
    pageA = await openDapp(browser, server.urlA);
    pageB = await openDapp(browser, server.urlB);
  });

  after(async () => {
    await ext?.close();
    await server?.close();
  });

  test('EIP-6963: the page discovers Keyhold, and it is window.keyhold', async () => {
    const found = await pageA.evaluate(() => {
      const seen: { info: Record<string, unknown>; same: boolean }[] = [];
      window.addEventListener('eip6963:announceProvider', (e) => {
        const { info, provider } = (e as CustomEvent).detail;
        seen.push({ info: { ...info }, same: provider === window.keyhold });
      });
      window.dispatchEvent(new Event('eip6963:requestProvider'));
      return seen;
    });
    assert.equal(found.length, 1, 'exactly one announcement per request');
    const { info, same } = found[0]!;
    assert.equal(info.rdns, 'dev.keyhold');
    assert.equal(info.name, 'Keyhold');
    assert.match(String(info.uuid), UUID_RE);
    assert.match(String(info.icon), /^data:image\/svg\+xml;base64,/);
    assert.ok(same, 'the announced provider is window.keyhold');
  });

  test('create → approve in the approval window → sign → verify with node:crypto', async () => {
    const session = await createSession(browser, pageA, { ttlSeconds: 3600, requestTypes: [1, 2], label: 'firefox' });
    assert.match(session.id, UUID_RE);
    assert.equal(fromBase64(session.publicKey, 'publicKey').length, 32);
    assert.deepEqual(session.requestTypes, [1, 2]);

    const body = randomBytes(48);
    const out = ok(await sign(pageA, session.id, 1, body), 'keyhold_signRequest');
    assert.deepEqual(Object.keys(out).sort(), ['payload', 'public_key', 'signature']);
    assert.equal(out.public_key, session.publicKey);
    assert.ok(verifyEd25519(out.public_key, out.payload, out.signature), 'the signature verifies');

    const payload = parsePayload(fromBase64(out.payload, 'payload'));
    assert.equal(payload.requestType, 1);
    assert.deepEqual(Buffer.from(payload.body), body);
    // A tampered payload must not verify: the check above is not vacuous.
    const tampered = fromBase64(out.payload, 'payload');
    tampered[tampered.length - 1]! ^= 1;
    assert.equal(verifyEd25519(out.public_key, toBase64(tampered), out.signature), false);

    assertError(await sign(pageA, session.id, 3, body), 4100, 'a request type the session was not granted');
  });

  test('bytes (issue 12): a Uint8Array body and encoding bytes: Uint8Arrays back that verify', async () => {
    const session = await createSession(browser, pageA, { ttlSeconds: 600 });
    const body = randomBytes(40);
    const out = await pageA.evaluate(
      async (sessionId, body) => {
        const r = (await window.keyhold!.request({ method: 'keyhold_signRequest', params: [{ sessionId, requestType: 1, body: new Uint8Array(body), encoding: 'bytes' }] })) as Record<string, unknown>;
        return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Uint8Array ? Array.from(v) : `not bytes: ${typeof v}`]));
      },
      session.id,
      Array.from(body),
    );
    assert.deepEqual(Object.keys(out).sort(), ['payload', 'public_key', 'signature']);
    const b64 = (k: string) => toBase64(Uint8Array.from(out[k] as number[]));
    assert.equal(b64('public_key'), session.publicKey);
    assert.ok(verifyEd25519(b64('public_key'), b64('payload'), b64('signature')), 'the signature verifies');
    assert.deepEqual(Buffer.from(parsePayload(Uint8Array.from(out.payload as number[])).body), body);
  });

  test('Reject in the approval window → 4001', async () => {
    const pending = call(pageA, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'to reject' }]);
    await approveNext(browser, 'Reject');
    assertError(await pending, 4001, 'rejected createSession');
  });

  test('origin isolation: a session of 127.0.0.1 is invisible and unusable from localhost', async () => {
    const s = await createSession(browser, pageA, { ttlSeconds: 600 });
    assert.ok((await listIds(pageA)).includes(s.id));
    assert.ok(!(await listIds(pageB)).includes(s.id), 'not listed on the other origin');
    assertError(await sign(pageB, s.id, 1, randomBytes(8)), 4100, 'sign from localhost');
    assertError(await call(pageB, 'keyhold_revokeSession', [{ sessionId: s.id }]), 4100, 'revoke from localhost');
    ok(await sign(pageA, s.id, 1, randomBytes(8)), 'still signs on its own origin');
  });

  test("the relay's event.source check holds under Firefox's Xray wrappers", async () => {
    // A same-origin iframe passes the origin check, so only `event.source === window` can
    // refuse its message to the parent. A positive control from the top window itself proves
    // the check does not refuse everything either.
    const host = await browser.newPage();
    try {
      await host.goto(`${server.originA}/frame.html?src=${encodeURIComponent(server.urlA)}`);
      await host.waitForFunction(() => typeof window.keyhold?.request === 'function');
      const child = host.frames().find((f) => f !== host.mainFrame() && f.url().startsWith(server.originA));
      assert.ok(child, 'the same-origin iframe loaded');
      const envelope = (id: string) => ({
        channel: 'dev.keyhold/v1',
        dir: 'to-keyhold',
        requests: [{ id, method: 'keyhold_listSessions', params: [] }],
      });
      await host.evaluate(() => {
        const w = window as unknown as { seen: string[] };
        w.seen = [];
        window.addEventListener('message', (e) => {
          for (const r of e.data?.responses ?? []) w.seen.push(String(r.id));
        });
      });
      await host.evaluate((m) => window.postMessage(m, location.origin), envelope('control-1'));
      await host.waitForFunction(() => (window as unknown as { seen: string[] }).seen.includes('control-1'), {
        timeout: 5_000,
      });
      await child.evaluate((m) => window.parent.postMessage(m, location.origin), envelope('forged-1'));
      // A second control after it: messages cross the relay and the port in order, so once
      // control-2 is answered, an answer to forged-1 would already be here.
      await host.evaluate((m) => window.postMessage(m, location.origin), envelope('control-2'));
      await host.waitForFunction(() => (window as unknown as { seen: string[] }).seen.includes('control-2'), {
        timeout: 5_000,
      });
      const seen = await host.evaluate(() => (window as unknown as { seen: string[] }).seen);
      assert.ok(!seen.includes('forged-1'), "the top frame's relay answered a message posted by another window");
    } finally {
      await host.close();
    }
  });

  test('the toolbar popup lists the session (an extension page calling the worker)', async () => {
    const label = `popup-${randomBytes(4).toString('hex')}`;
    const pending = call<SessionInfo>(pageA, 'keyhold_createSession', [{ ttlSeconds: 600, label }]);
    const approval = await nextApprovalPage(browser);
    const popup = await openExtensionPage(browser, approval, 'popup.html');
    try {
      await decide(approval, 'Approve');
      ok(await pending, 'keyhold_createSession');
      // The popup polls every few seconds; a reload shows the new session at once.
      await popup.evaluate(() => location.reload());
      await popup.locator(`::-p-text(${label})`).setTimeout(10_000).wait();
    } finally {
      await popup.close();
    }
  });

  test('revoke → {revoked: true}, then signing fails with 4100', async () => {
    const s = await createSession(browser, pageA, { ttlSeconds: 600 });
    ok(await sign(pageA, s.id, 1, randomBytes(8)), 'sign before revoke');
    assert.deepEqual(ok(await call(pageA, 'keyhold_revokeSession', [{ sessionId: s.id }]), 'revoke'), { revoked: true });
    assertError(await sign(pageA, s.id, 1, randomBytes(8)), 4100, 'sign after revoke');
    assert.ok(!(await listIds(pageA)).includes(s.id), 'no longer listed');
  });
});
