/**
 * Revocations owed to a service survive the worker and the browser, in real Chromium against
 * the real reference service: service sessions (a bring-your-own secp256k1 master) are revoked
 * while the service is down (`state.outage`), so each logout is queued in IndexedDB as
 * "pending". The worker is killed several times — each start tries again and fails — or the
 * browser is closed and relaunched on the same profile; the queue is still whole. Then the
 * outage ends, any page call wakes the worker, and the service shows every session revoked
 * within a bound (the worker delivers what it owes 2 s after every start).
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { startService, type RunningService } from '../../service/server.js';
import { ROOT, call, launchExtension, ok, openDapp, serveSites, startServer, stopWorker, type Extension, type FixtureServer, type SessionInfo } from '../e2e/harness.js';
import { newSession, noApprovalWindow, rpc } from './browser.js';
import { record, size } from './counts.js';

const KILLS = size(2, 6);
const RESTARTS = size(1, 3);
/** From the wake-up call to the service showing the session revoked. */
const DELIVERY_BOUND_MS = 10_000;
/** A worker start tries its owed revocations 2 s after it starts. */
const START_ATTEMPT_MS = 2_000;

type ServiceSessionInfo = SessionInfo & { status?: string; loginPayload?: string };
interface Owed {
  sessionId: string;
  attempts: number;
  lastError: string | null;
}

let service: RunningService;
let server: FixtureServer;
const dirs: string[] = [];

before(async () => {
  service = await startService({ testHooks: true });
  const byo = await build({ entryPoints: [`${ROOT}/test/e2e/byo-master.ts`], bundle: true, write: false, format: 'iife', minify: true });
  server = await startServer({ '/byo.js': { type: 'text/javascript', body: byo.outputFiles[0]!.text } });
  serveSites(service, server);
});
after(async () => {
  service.state.outage = false;
  await server?.close();
  await service?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function byoPage(ext: Extension, url: string): Promise<Page> {
  const page = await openDapp(ext.context, url);
  await page.addScriptTag({ url: '/byo.js' });
  return page;
}

/** create (service) → Approve → pending → the page's wallet signs → complete → active at the service. */
async function serviceSession(ext: Extension, page: Page): Promise<ServiceSessionInfo> {
  const address = await page.evaluate(() => (window as unknown as { byoMaster: { address: string } }).byoMaster.address);
  // A localhost page and the 127.0.0.1 service are different parties: the second confirmation.
  const crossSite = new URL(page.url()).hostname !== new URL(service.url).hostname;
  const created = (await newSession(ext.context, page, { ttlSeconds: 3600, service: { baseUrl: service.url, address } }, { acknowledge: crossSite })) as ServiceSessionInfo;
  assert.equal(created.status, 'pending');
  const signature = await page.evaluate((p) => (window as unknown as { byoMaster: { signLoginPayload(p: string): string } }).byoMaster.signLoginPayload(p), created.loginPayload!);
  const active = ok(await call<ServiceSessionInfo>(page, 'keyhold_completeSession', [{ sessionId: created.id, signature }]), 'completeSession');
  assert.equal(active.status, 'active');
  assert.equal(service.state.sessions.get(active.id)?.revoked, false, 'logged in at the service');
  return active;
}

/** Revokes each session while the service is down: every one is revoked here and pending there. */
async function revokeDuringOutage(pages: Map<string, Page>, sessions: ServiceSessionInfo[]): Promise<void> {
  service.state.outage = true;
  for (const s of sessions) {
    const page = pages.get(s.id)!;
    assert.deepEqual(ok(await call(page, 'keyhold_revokeSession', [{ sessionId: s.id }])), { revoked: true, service: 'pending' });
    assert.equal((await call(page, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: '' }])).error?.code, 4100, 'revoked here at once');
  }
  for (const s of sessions) assert.equal(service.state.sessions.get(s.id)!.revoked, false, 'not delivered during the outage');
}

const owed = (ext: Extension): Promise<Owed[]> => rpc<Owed[]>(ext.context, ext.extensionId, 'revocation_list');

/** Waits for the service to show each session revoked; answers how many were not within the bound. */
async function deliveredWithin(sessions: ServiceSessionInfo[], boundMs: number): Promise<{ lost: number; ms: number }> {
  const t0 = Date.now();
  const done = () => sessions.every((s) => service.state.sessions.get(s.id)!.revoked);
  while (!done() && Date.now() - t0 < boundMs) await new Promise((r) => setTimeout(r, 100));
  return { lost: sessions.filter((s) => !service.state.sessions.get(s.id)!.revoked).length, ms: Date.now() - t0 };
}

describe('pending revocations and the worker killed', () => {
  test(`3 service sessions on 2 origins revoked during an outage; ${KILLS} worker kills, each start failing to deliver; after the outage one wake-up delivers all within ${DELIVERY_BOUND_MS / 1000} s`, async () => {
    const ext = await launchExtension();
    let kills = 0;
    let result = { lost: 3, ms: 0 };
    try {
      const a = await byoPage(ext, server.urlA);
      const b = await byoPage(ext, server.urlB);
      const pages = new Map<string, Page>();
      const sessions: ServiceSessionInfo[] = [];
      for (const page of [a, a, b]) {
        const s = await serviceSession(ext, page);
        pages.set(s.id, page);
        sessions.push(s);
      }
      await noApprovalWindow(ext.context);
      await revokeDuringOutage(pages, sessions);
      const ids = sessions.map((s) => s.id).sort();
      let attempts = Math.min(...(await owed(ext)).map((r) => r.attempts));
      for (let k = 0; k < KILLS; k++) {
        const { wasRunning } = await stopWorker(ext.context, ext.extensionId);
        if (wasRunning) kills++;
        // Wake it (a page call) and let its start try, and fail, to deliver.
        ok(await call(a, 'keyhold_listSessions'));
        await new Promise((r) => setTimeout(r, START_ATTEMPT_MS + 1_000));
        const queue = await owed(ext);
        assert.deepEqual(queue.map((r) => r.sessionId).sort(), ids, `after kill ${k + 1}: every revocation still queued`);
        const least = Math.min(...queue.map((r) => r.attempts));
        assert.ok(least > attempts, `after kill ${k + 1}: the start tried each again (attempts ${attempts} → ${least})`);
        assert.ok(queue.every((r) => /503/.test(r.lastError ?? '')), 'and the service answered 503');
        attempts = least;
      }
      await stopWorker(ext.context, ext.extensionId);
      service.state.outage = false;
      ok(await call(b, 'keyhold_listSessions'));
      result = await deliveredWithin(sessions, DELIVERY_BOUND_MS);
      assert.equal(result.lost, 0, `every revocation delivered within ${DELIVERY_BOUND_MS} ms of the wake-up`);
      const deadline = Date.now() + 5_000;
      while ((await owed(ext)).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(await owed(ext), [], 'and the queue is empty');
      for (const s of sessions) assert.equal(service.state.sessions.get(s.id)!.deviceKey, null, 'the device key deleted at the service');
    } finally {
      service.state.outage = false;
      record('revocations across worker kills', { kills, revocationsDelivered: 3 - result.lost, revocationsLost: result.lost });
      await ext.close();
    }
    assert.equal(kills, KILLS, 'each kill hit a running worker');
  });
});

describe('pending revocations and the browser restarted', () => {
  test(`${RESTARTS} browser restart(s) on the same profile during an outage: the queue survives whole; after the outage one wake-up delivers all within ${DELIVERY_BOUND_MS / 1000} s`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keyhold-revocations-'));
    dirs.push(dir);
    let ext = await launchExtension({ userDataDir: dir });
    let restarts = 0;
    let result = { lost: 2, ms: 0 };
    try {
      const a = await byoPage(ext, server.urlA);
      const pages = new Map<string, Page>();
      const sessions: ServiceSessionInfo[] = [];
      for (let i = 0; i < 2; i++) {
        const s = await serviceSession(ext, a);
        pages.set(s.id, a);
        sessions.push(s);
      }
      await noApprovalWindow(ext.context);
      await revokeDuringOutage(pages, sessions);
      const ids = sessions.map((s) => s.id).sort();
      for (let r = 0; r < RESTARTS; r++) {
        await ext.close();
        ext = await launchExtension({ userDataDir: dir });
        restarts++;
        assert.deepEqual((await owed(ext)).map((x) => x.sessionId).sort(), ids, `after restart ${r + 1}: every revocation still queued`);
      }
      const page = await openDapp(ext.context, server.urlA);
      for (const s of sessions) assert.equal((await call(page, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: '' }])).error?.code, 4100, 'still revoked here');
      await stopWorker(ext.context, ext.extensionId);
      service.state.outage = false;
      ok(await call(page, 'keyhold_listSessions'));
      result = await deliveredWithin(sessions, DELIVERY_BOUND_MS);
      assert.equal(result.lost, 0, `every revocation delivered within ${DELIVERY_BOUND_MS} ms of the wake-up`);
    } finally {
      service.state.outage = false;
      record('revocations across browser restarts', { restarts, revocationsDelivered: 2 - result.lost, revocationsLost: result.lost });
      await ext.close();
    }
  });
});
