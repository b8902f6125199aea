/**
 * Attack 8 of issue 10: one page fires 20,000 `keyhold_send` of 48 KiB at its service, which
 * never answers (a hung server of the test's own on loopback). The relay and the worker each
 * hold at most MAX_SENDS_IN_FLIGHT of them per page and origin; the rest get -32005 at once and
 * nothing is signed for them. The worker's heap is read over the DevTools protocol all along and
 * must grow by less than HEAP_BOUND over its settled baseline. (On the landed build, which let
 * 20,000 through, 1,500 such sends grew it by 123–176 MiB.)
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { bundleForPage, call, launchExtension, ok, openDapp, startServer, type Extension, type FixtureServer, type SessionInfo } from '../e2e/harness.js';
import { newSession, noApprovalWindow, rpc, workerHeap } from './browser.js';
import { record } from './counts.js';
import { acceptLogin, startHostileService, type HostileService } from './hostile-service.js';
import { MAX_SENDS_IN_FLIGHT } from '../../src/protocol/page-api.js';

/** The sends fired; `HUNG_SENDS` may make it smaller, only to try the test on an old build. */
const SENDS = Number(process.env.HUNG_SENDS ?? 20_000);
const BODY_BYTES = 48 * 1024;
/** Requests per page task: each task's requests cross to the relay as one window message. */
const CHUNK = 500;
/** The worker's heap may grow by less than this over its baseline while the sends hang. */
const HEAP_BOUND = 32 * 2 ** 20;
/** How long the heap is watched after the last send was fired (the service's sends hang 15 s). */
const WATCH_MS = 8_000;

let server: FixtureServer;
let ext: Extension;
let service: HostileService;

before(async () => {
  const byo = await bundleForPage('test/e2e/byo-master.ts');
  server = await startServer({ '/byo.js': { type: 'text/javascript', body: byo } });
  // Logs sessions in like a service, then never answers anything else.
  const login = acceptLogin();
  service = await startHostileService((req, res, body) => {
    if (req.url?.endsWith('/api/v1/login')) login(req, res, body);
  });
  ext = await launchExtension();
});
after(async () => {
  await ext?.close();
  await server?.close();
  await service?.close();
});

type ServiceSessionInfo = SessionInfo & { status?: string; loginPayload?: string };

/** A logged-in service session of `page` at the hung service (the page's own wallet signs the login). */
async function loggedIn(page: Page): Promise<ServiceSessionInfo> {
  await page.addScriptTag({ url: '/byo.js' });
  // The account the login names (a SIWE message names its signer).
  const address = await page.evaluate(() => (window as unknown as { byoMaster: { address: string } }).byoMaster.address);
  const s = (await newSession(ext.context, page, { ttlSeconds: 600, service: { baseUrl: service.url, address } })) as ServiceSessionInfo;
  await noApprovalWindow(ext.context);
  const signature = await page.evaluate((p) => (window as unknown as { byoMaster: { signLoginPayload(p: string): string } }).byoMaster.signLoginPayload(p), s.loginPayload!);
  const done = ok(await call<ServiceSessionInfo>(page, 'keyhold_completeSession', [{ sessionId: s.id, signature }]), 'complete');
  assert.equal(done.status, 'active');
  return done;
}

declare global {
  interface Window {
    __hung?: { refused: number; other: Map<number, number>; fired: number; refusedMs: number[] };
  }
}

describe('hung sends', () => {
  test(`${SENDS.toLocaleString('en-US')} keyhold_send of 48 KiB to a service that never answers: at most ${MAX_SENDS_IN_FLIGHT} held, the rest -32005 at once and unsigned; the worker heap stays under its bound`, async () => {
    const page = await openDapp(ext.context, server.urlA);
    const session = await loggedIn(page);
    const heap = await workerHeap(ext.context, page);
    await heap.collectGarbage();
    const baseline = await heap.used();
    let peak = baseline;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await heap.used().catch(() => peak));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();

    const t0 = Date.now();
    await page.evaluate(
      async ({ sessionId, sends, bodyBytes, chunk }) => {
        const bytes = new Uint8Array(bodyBytes).map((_, i) => i % 251);
        let bin = '';
        for (const b of bytes) bin += String.fromCharCode(b);
        const body = btoa(bin);
        const state = { refused: 0, other: new Map<number, number>(), fired: 0, refusedMs: [] as number[] };
        window.__hung = state;
        while (state.fired < sends) {
          const n = Math.min(chunk, sends - state.fired);
          for (let i = 0; i < n; i++) {
            const t = performance.now();
            window.keyhold!.request({ method: 'keyhold_send', params: [{ sessionId, path: '/api/v1/orders', requestType: 1, body }] }).then(
              () => state.other.set(0, (state.other.get(0) ?? 0) + 1),
              (e: { code: number }) => {
                if (e.code === -32005) {
                  state.refused++;
                  state.refusedMs.push(performance.now() - t);
                } else state.other.set(e.code, (state.other.get(e.code) ?? 0) + 1);
              },
            );
          }
          state.fired += n;
          // A new task: the next chunk is another window message.
          await new Promise((r) => setTimeout(r, 0));
        }
      },
      { sessionId: session.id, sends: SENDS, bodyBytes: BODY_BYTES, chunk: CHUNK },
    );
    const firedMs = Date.now() - t0;
    await new Promise((r) => setTimeout(r, WATCH_MS));
    sampling = false;
    await sampler;
    const state = await page.evaluate(() => {
      const s = window.__hung!;
      const ms = [...s.refusedMs].sort((a, b) => a - b);
      return { refused: s.refused, other: [...s.other.entries()], p99RefusedMs: ms[Math.floor(ms.length * 0.99)] ?? 0 };
    });
    const growth = peak - baseline;
    // What was signed: the activity log holds a line per signature (written within a second).
    const activity = await rpc<{ kind: string; sessionId: string }[]>(ext.context, ext.extensionId, 'activity_list', {});
    const signed = activity.filter((e) => e.kind === 'sign' && e.sessionId === session.id).length;
    const reached = service.received.filter((r) => r.path === '/api/v1/orders').length;
    await heap.close();
    console.log(
      `# hung sends: ${SENDS} fired in ${firedMs} ms; ${state.refused} refused with -32005 (p99 ${state.p99RefusedMs.toFixed(0)} ms), others ${JSON.stringify(state.other)}; ` +
        `${signed} signed, ${reached} reached the service; worker heap ${(baseline / 2 ** 20).toFixed(1)} MiB, peak +${(growth / 2 ** 20).toFixed(1)} MiB`,
    );
    record('hung sends: one page, a service that never answers', { hungSends: SENDS, badInputs: SENDS, hungSendsHeapGrowthBytes: growth });

    assert.ok(growth < HEAP_BOUND, `the worker heap grew by ${(growth / 2 ** 20).toFixed(1)} MiB (bound ${HEAP_BOUND / 2 ** 20} MiB)`);
    assert.ok(state.refused >= SENDS - MAX_SENDS_IN_FLIGHT, `${state.refused} of ${SENDS} refused with -32005`);
    assert.ok(signed <= MAX_SENDS_IN_FLIGHT, `${signed} sends were signed`);
    assert.ok(state.p99RefusedMs < 5_000, 'refusals come at once, not after a wait');
    await page.close();
  });
});
