/**
 * Hostile pages against the real extension in real Chromium: 1,000+ malformed messages posted
 * into a page through the real relay, and every spoofing trick a page or a frame can play —
 * forged relay traffic from a cross-origin iframe (every targetOrigin), forged answers, payloads
 * claiming another origin, calls to the extension-page RPC, an approval flood, and framing
 * Keyhold's own pages. Each is refused; nothing stored changes; the worker keeps signing.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Page } from 'playwright-core';
import {
  approvalPages, call, launchExtension, nextApprovalPage, ok, openDapp, startServer, verifyEd25519,
  type Extension, type FixtureServer, type RpcOutcome, type SessionInfo,
} from '../e2e/harness.js';
import { pageParamParsers } from '../../src/protocol/page-params.js';
import { newSession, noApprovalWindow, rpc, type Envelope } from './browser.js';
import { record, size } from './counts.js';
import { badBatch, envelope, hasUsableId, validBases } from './hostile.js';

const MESSAGES = size(1_000, 10_000);
const CHANNEL = 'dev.keyhold/v1';

let server: FixtureServer;
let ext: Extension;
let pageA: Page;
let pageB: Page;
let sA: SessionInfo;
let sB: SessionInfo;
let badInputs = 0;
let lost = 0;

before(async () => {
  server = await startServer();
  ext = await launchExtension();
  pageA = await openDapp(ext.context, server.urlA);
  pageB = await openDapp(ext.context, server.urlB);
  sA = await newSession(ext.context, pageA, { ttlSeconds: 3600, label: 'hostile A' });
  sB = await newSession(ext.context, pageB, { ttlSeconds: 3600, label: 'hostile B' });
  await noApprovalWindow(ext.context);
});
after(async () => {
  record('hostile pages (browser)', { badInputs, requestsLost: lost });
  await ext?.close();
  await server?.close();
});

/** Every session of every origin as the popup sees them, and the approvals waiting. */
const worldState = async () => ({
  sessions: await rpc<unknown[]>(ext.context, ext.extensionId, 'session_listAll'),
  approvals: await rpc<unknown[]>(ext.context, ext.extensionId, 'approval_list'),
});

async function signsWithItsKey(page: Page, s: SessionInfo): Promise<void> {
  const out = ok(await call<Envelope>(page, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: 'AQID' }]), 'sign');
  assert.equal(out.public_key, s.publicKey);
  assert.ok(verifyEd25519(out.public_key, out.payload, out.signature));
}

/** Records, in the page, every Keyhold answer it receives, by id. */
async function listen(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { heard: Record<string, unknown[]>; rpcHeard: unknown[] };
    w.heard = {};
    w.rpcHeard = [];
    window.addEventListener('message', (e) => {
      if (e.data?.channel === 'dev.keyhold/rpc' && e.data?.ok !== undefined) w.rpcHeard.push(e.data);
      if (e.data?.dir !== 'to-page') return;
      for (const r of e.data.responses ?? []) (w.heard[String(r.id)] ??= []).push(r);
    });
  });
}
const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: Record<string, { id: string; error?: { code: number }; result?: unknown }[]> }).heard);

/** Messages per page.evaluate in the page fuzz (the JSON of one chunk must fit in a string). */
const FUZZ_CHUNK = 500;

describe(`fuzz: ${MESSAGES.toLocaleString('en-US')} malformed messages posted in a real page through the real relay`, () => {
  test('each is refused (-32602 / 4200) or dropped, or throws in the page; the worker keeps signing; nothing changes', async () => {
    const before = await worldState();
    const page = await openDapp(ext.context, server.urlA);
    await listen(page);
    let opened = 0;
    const onPage = (p: Page) => void p.waitForLoadState('domcontentloaded').then(() => (p.url().includes('/approval.html') ? opened++ : 0), () => 0);
    ext.context.on('page', onPage);
    try {
      const bases = validBases(sA.id);
      const samples = fc.sample(envelope(badBatch(Object.keys(pageParamParsers), bases, false, 'z')), { numRuns: MESSAGES, seed: 0x6b68 });
      // Unique ids per message; one message in five also gets a value only a browser can make.
      const messages = samples.map((m, i) => {
        if (!m.relayAccepts) return m;
        const requests = (m.data as { requests: unknown[] }).requests.map((r) => (hasUsableId(r) ? { ...r, id: `${i}.${r.id}` } : r));
        return { ...m, data: { ...(m.data as object), requests } };
      });
      const expected = new Set(messages.flatMap((m) => (m.relayAccepts ? (m.data as { requests: unknown[] }).requests.filter(hasUsableId).map((r) => r.id) : [])));
      // As JSON text: Playwright's own argument passing cannot take 1,500-deep nesting. In chunks:
      // at full size the whole set is more text than one JavaScript string can hold.
      let thrown = 0;
      const carried: string[] = [];
      for (let offset = 0; offset < messages.length; offset += FUZZ_CHUNK) {
        const part = await page.evaluate(
          async ({ json, offset }) => {
            const messages = JSON.parse(json) as { data: unknown }[];
            const exotic = ['cycle', 'bigint', 'function', 'symbol', 'node', 'map', 'date', 'buffer', 'sparse', 'error'];
            const carried: string[] = [];
            let thrown = 0;
            messages.forEach((m, at) => {
              const i = offset + at;
              const data = m.data as { requests?: { id?: unknown; params?: unknown }[] };
              const first = Array.isArray(data?.requests) ? data.requests[0] : undefined;
              let dropId = false;
              if (i % 5 === 0 && first && typeof first === 'object') {
                const kind = exotic[(i / 5) % exotic.length];
                const o: Record<string, unknown> = {};
                const value =
                  kind === 'cycle' ? ((o.self = o), o) : kind === 'bigint' ? 10n ** 20n : kind === 'function' ? () => 1 : kind === 'symbol' ? Symbol('s')
                  : kind === 'node' ? document.body : kind === 'map' ? new Map([[1, 2]]) : kind === 'date' ? new Date(0) : kind === 'buffer' ? new ArrayBuffer(8)
                  : kind === 'sparse' ? [, , 1] : new Error('e');
                first.params = [{ sessionId: 'x', evil: value }];
                dropId = ['function', 'symbol', 'node'].includes(kind!);
              }
              try {
                window.postMessage(m.data, location.origin);
              } catch {
                thrown++;
                for (const r of data.requests ?? []) carried.push(`!${String(r?.id)}`);
                return;
              }
              if (dropId) throw new Error(`postMessage carried a ${exotic[(i / 5) % exotic.length]}`);
            });
            return { thrown, carried };
          },
          { json: JSON.stringify(messages.slice(offset, offset + FUZZ_CHUNK)), offset },
        );
        thrown += part.thrown;
        carried.push(...part.carried);
      }
      badInputs += MESSAGES;
      for (const c of carried) expected.delete(c.slice(1)); // never left the page
      const deadline = Date.now() + 30_000;
      let got = await heard(page);
      while ([...expected].some((id) => !got[id]) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        got = await heard(page);
      }
      const missing = [...expected].filter((id) => !got[id]);
      lost += missing.length;
      assert.deepEqual(missing, [], 'every request the relay accepted is answered');
      for (const [id, answers] of Object.entries(got)) {
        assert.ok(expected.has(id), `an answer for ${id}, which was never asked or was dropped`);
        assert.equal(answers.length, 1, `${id} answered once`);
        const code = answers[0]!.error?.code;
        assert.ok(code === -32602 || code === 4200, `${id}: refused, got ${JSON.stringify(answers[0]).slice(0, 200)}`);
      }
      assert.ok(thrown > 0, 'some messages could not even be posted');
      assert.ok(expected.size > MESSAGES / 2, `the fuzz reached the worker (${expected.size} requests)`);
      await signsWithItsKey(page, sA);
      await signsWithItsKey(pageB, sB);
      assert.deepEqual(await worldState(), before, 'no session or approval changed');
      assert.equal(opened, 0, 'no approval window opened');
    } finally {
      ext.context.off('page', onPage);
      await page.close();
    }
  });
});

describe('spoofing', () => {
  test('a cross-origin iframe posting Keyhold traffic to its parent, with every targetOrigin, drives nothing; forged answers settle nothing', async () => {
    const host = await ext.context.newPage();
    try {
      await host.goto(`${server.originA}/frame.html?src=${encodeURIComponent(server.urlB)}`);
      await host.waitForFunction(() => typeof window.keyhold?.request === 'function');
      const frame = host.frames().find((f) => f.url().startsWith(server.originB));
      assert.ok(frame, 'the other-origin iframe loaded');
      await frame.waitForLoadState('load');
      await listen(host);
      const env = (id: string, method = 'keyhold_signRequest', params: unknown = [{ sessionId: sA.id, requestType: 1, body: 'AA==' }]) => ({ channel: CHANNEL, dir: 'to-keyhold', requests: [{ id, method, params }] });
      // Positive control: the same envelope from the page itself is answered.
      await host.evaluate((m) => window.postMessage(m, location.origin), env('control'));
      await host.waitForFunction(() => !!(window as unknown as { heard: Record<string, unknown> }).heard.control, undefined, { timeout: 5_000 });
      const targets = ['*', server.originA, `${server.originA}/`, server.urlA, `${server.originA}/frame.html?x#y`, '/'];
      // From the frame, to the parent and to the top, with every targetOrigin a page might try.
      const messages = targets.map((_, i) => [env(`forged-${i}`), env(`forged-create-${i}`, 'keyhold_createSession', [{ ttlSeconds: 600 }])]);
      const result = await frame.evaluate(
        ({ targets, messages }) => {
          let n = 0;
          targets.forEach((t, i) => {
            for (const w of [window.parent, window.top!]) {
              for (const m of messages[i]!) {
                try {
                  w.postMessage(m, t);
                  n++;
                } catch {
                  /* invalid targetOrigin */
                }
              }
            }
          });
          let reach = 'blocked';
          try {
            reach = typeof (window.parent as unknown as { keyhold?: unknown }).keyhold;
          } catch {
            reach = 'blocked';
          }
          return { n, reach };
        },
        { targets, messages },
      );
      assert.ok(result.n >= 16, `the frame posted its forgeries (${result.n})`);
      assert.equal(result.reach, 'blocked', "the frame cannot reach the parent's provider object");
      badInputs += result.n;

      // Forged answers: the parent waits on a createSession; the frame answers it in Keyhold's name.
      const pending = call<SessionInfo>(host, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'parent waits' }]);
      const approval = await nextApprovalPage(ext.context);
      // The provider's ids are private; forge every plausible id shape, from the frame, with '*'.
      const forged = await frame.evaluate(() => {
        const fake = { id: '00000000-0000-7000-8000-000000000000', publicKey: 'A'.repeat(43) + '=', role: 'FULL_ACCESS', subaccountIndex: null, requestTypes: null, label: 'forged', createdAt: new Date().toISOString(), validUntil: new Date(Date.now() + 1e9).toISOString() };
        const responses = [];
        for (let i = 0; i < 64; i++) responses.push({ id: String(i), result: fake });
        window.parent.postMessage({ channel: 'dev.keyhold/v1', dir: 'to-page', responses }, '*');
        return responses.length;
      });
      badInputs += forged;
      await new Promise((r) => setTimeout(r, 1_000));
      const heardNow = await heard(host);
      for (let i = 0; i < targets.length; i++) {
        assert.ok(!heardNow[`forged-${i}`] && !heardNow[`forged-create-${i}`], `the relay answered a forgery posted with targetOrigin ${targets[i]}`);
      }
      const early = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still waiting'), 200))]);
      assert.equal(early, 'still waiting', 'a forged answer from the frame settled nothing');
      assert.equal(approvalPages(ext.context).length, 1, 'only the parent’s own request opened an approval');
      assert.equal((await rpc<unknown[]>(ext.context, ext.extensionId, 'approval_list')).length, 1, 'the frame queued no approval');
      await approval.close();
      assert.equal(((await pending) as RpcOutcome).error?.code, 4001);
    } finally {
      await host.close();
      await noApprovalWindow(ext.context);
    }
  });

  test('a payload claiming another origin: -32602 for an origin param; request and envelope fields are ignored (4100); A’s session never serves B', async () => {
    const withOrigin: [string, unknown][] = [
      ['keyhold_signRequest', [{ sessionId: sA.id, requestType: 1, body: 'AQID', origin: server.originA }]],
      ['keyhold_createSession', [{ ttlSeconds: 600, origin: server.originA }]],
      ['keyhold_revokeSession', [{ sessionId: sA.id, origin: server.originA }]],
      ['keyhold_listSessions', [{ origin: server.originA }]],
    ];
    for (const [method, params] of withOrigin) {
      const out = await call(pageB, method, params);
      assert.equal(out.error?.code, -32602, `${method} with an origin field: ${JSON.stringify(out)}`);
      if (method !== 'keyhold_listSessions') assert.match(out.error!.message, /origin/, 'the message names the field');
    }
    await listen(pageB);
    await pageB.evaluate(
      ({ sA, originA }) => {
        window.postMessage({ channel: 'dev.keyhold/v1', dir: 'to-keyhold', origin: originA, sender: { origin: originA, tab: { id: 1 } }, requests: [
          { id: 'o-sign', method: 'keyhold_signRequest', params: [{ sessionId: sA, requestType: 1, body: 'AQID' }], origin: originA, sender: { origin: originA } },
          { id: 'o-revoke', method: 'keyhold_revokeSession', params: [{ sessionId: sA }], origin: originA },
          { id: 'o-list', method: 'keyhold_listSessions', params: [], origin: originA },
        ] }, location.origin);
      },
      { sA: sA.id, originA: server.originA },
    );
    await pageB.waitForFunction(() => Object.keys((window as unknown as { heard: object }).heard).length >= 3);
    const got = await heard(pageB);
    assert.equal(got['o-sign']![0]!.error?.code, 4100);
    assert.equal(got['o-revoke']![0]!.error?.code, 4100);
    const listed = got['o-list']![0]!.result as SessionInfo[];
    assert.ok(!listed.some((s) => s.id === sA.id), "B's list never shows A's session");
    assert.ok(listed.some((s) => s.id === sB.id));
    badInputs += withOrigin.length + 3;
    await signsWithItsKey(pageA, sA);
  });

  test('a page cannot reach the extension-page RPC: no chrome.runtime, RPC-shaped messages get nothing, RPC methods get 4200', async () => {
    const pending = call(pageA, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'rpc target' }]);
    await nextApprovalPage(ext.context);
    const deadline = Date.now() + 5_000;
    let approvals: { id: string }[] = [];
    while (approvals.length === 0 && Date.now() < deadline) approvals = await rpc<{ id: string }[]>(ext.context, ext.extensionId, 'approval_list');
    const before = await worldState();
    assert.equal(approvals.length, 1);
    const approvalId = approvals[0]!.id;
    await listen(pageA);
    const page = await pageA.evaluate(
      async ({ approvalId, sA }) => {
        const c = (window as unknown as { chrome?: { runtime?: { sendMessage?: unknown; connect?: unknown } } }).chrome;
        const reach = [typeof c?.runtime?.sendMessage, typeof c?.runtime?.connect];
        const rpcs = [
          { method: 'session_listAll', params: {} },
          { method: 'approval_decide', params: { approvalId, approve: true } },
          { method: 'session_revoke', params: { sessionId: sA } },
        ];
        let n = 0;
        for (const r of rpcs) {
          for (const m of [
            { channel: 'dev.keyhold/rpc', ...r },
            { channel: 'dev.keyhold/rpc', dir: 'to-keyhold', ...r },
            { channel: 'dev.keyhold/v1', dir: 'to-keyhold', ...r },
            { channel: 'dev.keyhold/v1', dir: 'to-keyhold', requests: [{ id: `rpc-${r.method}`, method: r.method, params: r.params }] },
            { channel: 'dev.keyhold/v1', dir: 'to-keyhold', requests: [{ id: `rpc-arr-${r.method}`, method: r.method, params: [r.params] }] },
          ]) {
            window.postMessage(m, location.origin);
            window.postMessage(m, '*');
            n += 2;
          }
        }
        const viaProvider = await window.keyhold!.request({ method: 'approval_decide', params: [{ approvalId, approve: true }] }).then(
          () => 'served',
          (e: { code: number }) => e.code,
        );
        await new Promise((r) => setTimeout(r, 1_000));
        return { reach, n, viaProvider, rpcHeard: (window as unknown as { rpcHeard: unknown[] }).rpcHeard.length };
      },
      { approvalId, sA: sA.id },
    );
    badInputs += page.n + 1;
    assert.deepEqual(page.reach, ['undefined', 'undefined'], 'a web page has no chrome.runtime messaging');
    assert.equal(page.rpcHeard, 0, 'no RPC answer reaches the page');
    assert.equal(page.viaProvider, 4200);
    const got = await heard(pageA);
    for (const [id, answers] of Object.entries(got)) {
      if (!id.startsWith('rpc-')) continue;
      assert.equal(answers.length, 1);
      assert.equal(answers[0]!.error?.code, 4200, `${id} is no page method`);
    }
    assert.equal(Object.keys(got).filter((id) => id.startsWith('rpc-')).length, 6, 'each envelope-shaped RPC got 4200 (posted twice, answered once)');
    assert.deepEqual(await worldState(), before, 'the approval still waits; no session made or revoked');
    for (const p of approvalPages(ext.context)) await p.close();
    assert.equal((await pending).error?.code, 4001);
    await noApprovalWindow(ext.context);
    await signsWithItsKey(pageA, sA);
  });

  test('a flood of 50 createSession at once: at most 3 wait, the rest get -32005 at once, one approval window', async () => {
    let windows = 0;
    const count = (p: Page) => void p.waitForLoadState('domcontentloaded').then(() => (p.url().includes('/approval.html') ? windows++ : 0), () => 0);
    ext.context.on('page', count);
    try {
      const outcomes = pageA.evaluate(async () => {
        const t0 = performance.now();
        return Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            window.keyhold!.request({ method: 'keyhold_createSession', params: [{ ttlSeconds: 600, label: `flood ${i}` }] }).then(
              () => ({ code: 0, ms: performance.now() - t0 }),
              (e: { code: number }) => ({ code: e.code, ms: performance.now() - t0 }),
            ),
          ),
        );
      });
      const approval = await nextApprovalPage(ext.context);
      const deadline = Date.now() + 5_000;
      let waiting: { origin: string }[] = [];
      while (waiting.length < 3 && Date.now() < deadline) waiting = await rpc<{ origin: string }[]>(ext.context, ext.extensionId, 'approval_list');
      await new Promise((r) => setTimeout(r, 500));
      waiting = await rpc<{ origin: string }[]>(ext.context, ext.extensionId, 'approval_list');
      assert.equal(waiting.length, 3, 'three approvals wait');
      assert.ok(waiting.every((a) => a.origin === server.originA));
      await approval.close();
      const all = await outcomes;
      const limited = all.filter((o) => o.code === -32005);
      assert.equal(limited.length, 47, `47 refused: ${JSON.stringify(all.map((o) => o.code))}`);
      assert.ok(limited.every((o) => o.ms < 3_000), 'refused at once, not after the user acts');
      assert.equal(all.filter((o) => o.code === 4001).length, 3, 'the three waiting ones end when the window closes');
      assert.equal(windows, 1, 'one approval window for the whole flood');
      badInputs += 50;
    } finally {
      ext.context.off('page', count);
    }
    await noApprovalWindow(ext.context);
  });

  test('a site framing, embedding, opening or fetching Keyhold’s pages gets nothing, even with an approval waiting', async () => {
    const pending = call(pageB, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'frame target' }]);
    const approval = await nextApprovalPage(ext.context);
    const page = await openDapp(ext.context, server.urlB);
    const ours = new Set(ext.context.pages()); // Keyhold's own top-level pages, opened by the test or by Keyhold
    try {
      for (const file of ['approval.html', 'popup.html']) {
        const url = `chrome-extension://${ext.extensionId}/${file}`;
        const fetched = await page.evaluate(async (src) => {
          for (const tag of ['iframe', 'object', 'embed']) {
            const el = document.createElement(tag);
            if (tag === 'iframe') (el as HTMLIFrameElement).src = src;
            else if (tag === 'object') (el as HTMLObjectElement).data = src;
            else (el as HTMLEmbedElement).src = src;
            document.body.append(el);
          }
          window.open(src, '_blank');
          try {
            await fetch(src);
            return 'fetched';
          } catch {
            return 'refused';
          }
        }, url);
        assert.equal(fetched, 'refused', `fetch of ${file}`);
        await new Promise((r) => setTimeout(r, 700));
        for (const p of ext.context.pages()) {
          for (const f of p.frames()) {
            if (f.url() !== url || (ours.has(p) && f === p.mainFrame())) continue;
            const buttons = await f.locator('button').count().catch(() => 0);
            assert.equal(buttons, 0, `${file} rendered controls where a web page put it (${f === p.mainFrame() ? 'window.open' : 'a frame'})`);
          }
        }
        badInputs += 5;
      }
      assert.equal((await rpc<unknown[]>(ext.context, ext.extensionId, 'approval_list')).length, 1, 'the approval still waits, undecided');
    } finally {
      await page.close();
      await approval.close();
      assert.equal((await pending).error?.code, 4001);
      for (const p of ext.context.pages()) if (p.url().startsWith('chrome-extension://') && !p.url().endsWith('/popup.html')) await p.close();
    }
  });
});
