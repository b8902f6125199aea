/**
 * The worker's start and its database, failing under a page (unit level: the real relay in a
 * fake window, joined to the real page router like Chromium joins ports, over fake-indexeddb):
 * a start that fails, the database closed by the browser, and a worker that takes requests and
 * never answers. Every request the page sent is answered, once: served, or 4900 — never left
 * hanging — except those that wait on the user, which wait.
 * @module
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forceCloseDatabase } from 'fake-indexeddb';
import { unwrap } from 'idb';
import type { Runtime } from 'webextension-polyfill';
import { Readiness } from '../../background/platform/readiness.js';
import { servePagePort, type PortLike } from '../../background/router/page-port.js';
import type { WorkerDeps } from '../../background/deps.js';
import type { FromWorkerMessage, PageResponse, ToPageMessage } from '../../src/protocol/envelope.js';
import { CHANNEL } from '../../src/protocol/envelope.js';
import { Relay } from '../../src/relay/relay.js';
import { FakeWindow, ORIGIN_A, makeDeps, uniqueDbName, until, type TestDeps } from '../unit/fakes.js';
import { record } from './counts.js';

let faults = 0;
let disconnected = 0;
let lost = 0;
after(() => record('worker start and database faults (unit)', { storageFailures: faults, disconnected, requestsLost: lost }));

/** Chromium carries port messages as JSON. */
const wire = (m: unknown): unknown => JSON.parse(JSON.stringify(m));

/** A page with the relay, whose port reaches a worker that waits on `ready` for each message. */
function pageOn(ready: () => Promise<WorkerDeps>, sweepMs = 5_000) {
  const win = new FakeWindow(ORIGIN_A);
  const connect = (): Runtime.Port => {
    const toRelay: ((m: unknown) => void)[] = [];
    const toWorker: ((m: unknown) => void)[] = [];
    const workerEnd: PortLike = {
      postMessage: (m: FromWorkerMessage) => void queueMicrotask(() => toRelay.forEach((cb) => cb(wire(m)))),
      onMessage: { addListener: (cb) => void toWorker.push(cb) },
      onDisconnect: { addListener: () => undefined },
    };
    servePagePort(workerEnd, ORIGIN_A, ready);
    const relayEnd = {
      postMessage: (m: unknown) => void queueMicrotask(() => toWorker.forEach((cb) => cb(wire(m)))),
      onMessage: { addListener: (cb: (m: unknown) => void) => void toRelay.push(cb) },
      onDisconnect: { addListener: () => undefined },
      disconnect: () => undefined,
    };
    return relayEnd as unknown as Runtime.Port;
  };
  // The answer timeout swept every `sweepMs` instead of every 30 s.
  new Relay({ win: win.asWindow(), connect, later: (fn) => setTimeout(fn, 0), tick: (fn) => setTimeout(fn, sweepMs) });
  let n = 0;
  /** Sends a batch; resolves to its answers once `expected` of them came (or after `waitMs` with fewer). */
  const ask = async (methods: string[], expected = methods.length, waitMs = 2_000): Promise<PageResponse[]> => {
    const ids = methods.map(() => `r${++n}`);
    const requests = methods.map((method, i) => ({ id: ids[i]!, method, params: method === 'keyhold_createSession' ? [{ ttlSeconds: 60 }] : undefined }));
    win.dispatch({ source: win, origin: ORIGIN_A, data: { channel: CHANNEL, dir: 'to-keyhold', requests } });
    const answers = () => win.posted.flatMap((p) => (p.message as ToPageMessage).responses).filter((r) => ids.includes(r.id));
    await until(() => answers().length >= expected, `${expected} answers`, waitMs).catch(() => undefined);
    const got = answers();
    assert.equal(new Set(got.map((r) => r.id)).size, got.length, 'no request answered twice');
    lost += Math.max(0, expected - got.length);
    disconnected += got.filter((r) => 'error' in r && r.error.code === 4900).length;
    return got;
  };
  return { ask };
}

const codes = (rs: PageResponse[]) => rs.map((r) => ('error' in r ? r.error.code : 'ok'));

describe('worker start and database faults, through the relay', () => {
  test('starts that fail: every waiting request gets 4900 at once; the next request starts the worker again and is served', async () => {
    let failures = 3;
    const readiness = new Readiness<WorkerDeps>(async () => {
      if (failures > 0) {
        failures--;
        faults++;
        throw new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError');
      }
      return makeDeps();
    });
    const page = pageOn(() => readiness.get());
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(codes(await page.ask(['keyhold_listSessions', 'eth_chainId', 'keyhold_createSession'])), [4900, 4900, 4900]);
    }
    assert.deepEqual(codes(await page.ask(['keyhold_listSessions', 'eth_chainId'])), ['ok', 'ok']);
  });

  test('the database closed by the browser under a busy page: reopened, and every request answered', async () => {
    const dbName = uniqueDbName();
    let current: TestDeps | undefined;
    let terminated = 0;
    const readiness: Readiness<WorkerDeps> = new Readiness(async () => (current = await makeDeps({ dbName, onTerminated: () => (terminated++, readiness.reset()) })));
    const page = pageOn(() => readiness.get());
    for (let round = 0; round < 5; round++) {
      assert.deepEqual(codes(await page.ask(['keyhold_listSessions', 'keyhold_listSessions'])), ['ok', 'ok']);
      forceCloseDatabase(unwrap(current!.db) as unknown as Parameters<typeof forceCloseDatabase>[0]);
      faults++;
      await until(() => terminated === round + 1, 'the close event');
    }
    assert.deepEqual(codes(await page.ask(['keyhold_listSessions'])), ['ok']);
  });

  test('a worker that takes requests and never answers: signatures and lists fail with 4900; a session request still waits on the user', async () => {
    faults++;
    const page = pageOn(() => new Promise<WorkerDeps>(() => undefined), 10);
    // Asks for 4 answers: only 3 may come (the approval is never timed out by the relay), so
    // this waits its whole 500 ms, 50 sweeps, and sees exactly those three.
    const got = await page.ask(['keyhold_signRequest', 'keyhold_listSessions', 'eth_accounts', 'keyhold_createSession'], 4, 500);
    lost -= 1; // the approval, still waiting on the user as it should: not lost
    assert.deepEqual(got.map((r) => [r.id, 'error' in r ? r.error.code : 'ok']).sort(), [['r1', 4900], ['r2', 4900], ['r3', 4900]]);
  });
});
