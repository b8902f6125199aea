/**
 * End-to-end checks of ARCHITECTURE.md's invariants that the core tests do not already show:
 * what a page can observe (1), framing (8), and a worker killed at awkward moments (7).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  approvalPages,
  call,
  createSession,
  fromBase64,
  launchExtension,
  nextApprovalPage,
  ok,
  openDapp,
  parsePayload,
  startServer,
  stopWorker,
  verifyEd25519,
  type Extension,
  type FixtureServer,
  type SessionInfo,
} from './harness.js';

let server: FixtureServer;
let ext: Extension;

before(async () => {
  server = await startServer();
  ext = await launchExtension();
});
after(async () => {
  await ext?.close();
  await server?.close();
});

const SESSION_KEYS = ['createdAt', 'id', 'label', 'publicKey', 'requestTypes', 'role', 'subaccountIndex', 'validUntil'];

describe('invariant 1: a page sees only documented fields, never key material', () => {
  test('every message the page receives carries only the page API shapes', async () => {
    const page = await openDapp(ext.context, server.urlA);
    // Record every window message, from the start, before Keyhold is used.
    await page.evaluate(() => {
      (window as unknown as { seen: unknown[] }).seen = [];
      window.addEventListener('message', (e) => (window as unknown as { seen: unknown[] }).seen.push(e.data));
    });
    const session = await createSession(ext.context, page, { ttlSeconds: 600, label: 'observed' });
    ok(await call(page, 'keyhold_signRequest', [{ sessionId: session.id, requestType: 1, body: 'AAEC' }]));
    ok(await call(page, 'keyhold_signRequest', [{ sessionId: session.id, requestType: 1, body: 'AAEC', encoding: 'binary' }]));
    ok(await call(page, 'keyhold_listSessions'));
    await call(page, 'keyhold_signRequest', [{ sessionId: session.id, requestType: 1, body: '!' }]);
    ok(await call(page, 'keyhold_revokeSession', [{ sessionId: session.id }]));

    const seen = (await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen)) as Array<{
      dir?: string;
      responses?: Array<{ id: string; result?: unknown; error?: { code: number; message: string } }>;
    }>;
    const responses = seen.filter((m) => m?.dir === 'to-page').flatMap((m) => m.responses ?? []);
    assert.equal(responses.length, 6, 'one answer per request');
    for (const r of responses) {
      const keys = Object.keys(r).sort();
      if (r.error) {
        assert.deepEqual(keys, ['error', 'id']);
        assert.deepEqual(Object.keys(r.error).sort(), ['code', 'message']);
        continue;
      }
      assert.deepEqual(keys, ['id', 'result']);
      const result = r.result as Record<string, unknown> | Array<Record<string, unknown>>;
      const shapes = Array.isArray(result) ? result : [result];
      for (const shape of shapes) {
        const k = Object.keys(shape).sort().join(',');
        assert.ok(
          [SESSION_KEYS.join(','), 'payload,public_key,signature', 'frame', 'revoked'].includes(k),
          `undocumented result shape: ${k}`,
        );
      }
    }
    // The only 32-byte key a page ever receives is the session's public key.
    const text = JSON.stringify(responses);
    for (const m of text.matchAll(/"public_key":"([^"]+)"/g)) assert.equal(m[1], session.publicKey);
  });
});

/** Approves the request whose label is `label`, in whichever approval window shows it. */
async function approveWhereShown(label: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const p of approvalPages(ext.context)) {
      if (await p.getByText(label).count().catch(() => 0)) {
        await p.getByRole('button', { name: 'Approve', exact: true }).click();
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no approval window showed "${label}"`);
}

describe('approvals one after another', () => {
  test('a request arriving as the approval window closes is shown, never rejected with the closing window', async () => {
    const page = await openDapp(ext.context, server.urlA);
    for (let round = 0; round < 5; round++) {
      const first = call<SessionInfo>(page, 'keyhold_createSession', [{ ttlSeconds: 600, label: `first ${round}` }]);
      await approveWhereShown(`first ${round}`);
      // At once, while the first window closes itself.
      const second = call<SessionInfo>(page, 'keyhold_createSession', [{ ttlSeconds: 600, label: `second ${round}` }]);
      ok(await first, `first ${round}`);
      // The second request shows either in the first window (if it was still open) or in a new
      // one; it must never be rejected with the closing window.
      await approveWhereShown(`second ${round}`);
      assert.equal(ok(await second, `second ${round}`).label, `second ${round}`);
    }
    // Leave no window behind for the next tests.
    const deadline = Date.now() + 5_000;
    while (approvalPages(ext.context).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  });
});

describe('invariant 8: extension pages are not web-accessible and refuse to run framed', () => {
  test('a web page cannot load the popup, the approval window or the welcome tab in a frame', async () => {
    const page = await openDapp(ext.context, server.urlA);
    for (const file of ['popup.html', 'approval.html', 'onboarding.html']) {
      const url = `chrome-extension://${ext.extensionId}/${file}`;
      const loaded = await page.evaluate(async (src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
        await new Promise((r) => setTimeout(r, 500));
        // A frame that loaded our page would have its own frame in Playwright's tree with our URL
        // and a rendered button; a blocked one has neither.
        return frame.contentWindow?.length ?? -1;
      }, url);
      assert.ok(loaded <= 0);
      const framed = page.frames().find((f) => f.url() === url);
      if (framed) {
        const buttons = await framed.locator('button').count().catch(() => 0);
        assert.equal(buttons, 0, `${file} rendered controls inside a web page's frame`);
      }
    }
    // A positive control: the same URL opens as a top-level extension page.
    const top = await ext.context.newPage();
    await top.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await top.getByRole('heading', { name: 'Sessions' }).waitFor();
    await top.close();
  });

  test('the manifest lists no web-accessible resources and sets frame-ancestors none', async () => {
    const manifest = (await ext.worker.evaluate(() => (globalThis as unknown as { chrome: { runtime: { getManifest(): unknown } } }).chrome.runtime.getManifest())) as {
      web_accessible_resources?: unknown;
      content_security_policy?: { extension_pages?: string };
    };
    assert.equal(manifest.web_accessible_resources, undefined);
    assert.match(manifest.content_security_policy?.extension_pages ?? '', /frame-ancestors 'none'/);
  });
});

describe('invariant 7: a killed worker loses nothing and leaves nothing hanging', () => {
  test('the worker stopped while an approval waits: the approval still delivers one session', async () => {
    const page = await openDapp(ext.context, server.urlA);
    const before = ok(await call<SessionInfo[]>(page, 'keyhold_listSessions')).length;
    let opened = 0;
    const count = (p: import('playwright-core').Page) =>
      void p.waitForLoadState('domcontentloaded').then(() => (p.url().includes('/approval.html') ? opened++ : 0), () => 0);
    ext.context.on('page', count);
    const pending = call<SessionInfo>(page, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'across a restart' }]);
    const approval = await nextApprovalPage(ext.context);
    await approval.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await stopWorker(ext.context, ext.extensionId);
    // The relay replays the request; the worker finds the same approval instead of a new one.
    await new Promise((r) => setTimeout(r, 300));
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    const session = ok(await pending, 'createSession across a worker stop');
    const listed = ok(await call<SessionInfo[]>(page, 'keyhold_listSessions'));
    assert.equal(listed.length, before + 1, 'exactly one new session');
    assert.ok(listed.some((s) => s.id === session.id));
    ext.context.off('page', count);
    assert.equal(opened, 1, 'one approval window for one request, across the restart');
    const deadline = Date.now() + 5_000;
    while (approvalPages(ext.context).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(approvalPages(ext.context).length, 0, 'the approval window closes once its queue is empty');
  });

  test('the worker stopped in the middle of a burst: every request ends, ids never repeat, the key still signs', async () => {
    const page = await openDapp(ext.context, server.urlA);
    const session = await createSession(ext.context, page, { ttlSeconds: 600 });
    const burst = page.evaluate(async (id) => {
      const k = window.keyhold!;
      const all = [];
      for (let wave = 0; wave < 10; wave++) {
        all.push(
          ...Array.from({ length: 100 }, () =>
            k.request({ method: 'keyhold_signRequest', params: [{ sessionId: id, requestType: 7, body: 'AQID' }] }).then(
              (r) => ({ r }),
              (e: { code: number }) => ({ code: e.code }),
            ),
          ),
        );
        await new Promise((r) => setTimeout(r, 5));
      }
      return Promise.all(all);
    }, session.id);
    await new Promise((r) => setTimeout(r, 15));
    await stopWorker(ext.context, ext.extensionId);
    const outcomes = (await Promise.race([
      burst,
      new Promise((_, reject) => setTimeout(() => reject(new Error('a request hung past 20 s')), 20_000)),
    ])) as Array<{ r?: { payload: string; public_key: string; signature: string }; code?: number }>;
    assert.equal(outcomes.length, 1000);
    const ids = new Set<string>();
    let signed = 0;
    for (const o of outcomes) {
      if (o.code !== undefined) {
        assert.equal(o.code, 4900, 'a request that did not sign must fail with 4900');
        continue;
      }
      assert.ok(verifyEd25519(o.r!.public_key, o.r!.payload, o.r!.signature));
      ids.add(Buffer.from(parsePayload(fromBase64(o.r!.payload)).requestId).toString('hex'));
      signed++;
    }
    assert.equal(ids.size, signed, 'no request id repeats');
    assert.ok(signed > 0);
    const afterwards = ok(await call<{ public_key: string }>(page, 'keyhold_signRequest', [{ sessionId: session.id, requestType: 7, body: '' }]));
    assert.equal(afterwards.public_key, session.publicKey);
  });
});
