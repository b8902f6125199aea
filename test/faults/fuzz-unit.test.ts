/**
 * Fuzzing at the unit level, at full speed: tens of thousands of hostile page messages into
 * (1) the worker's page port directly, values beyond JSON included, and (2) the real relay
 * through a fake window that clones like a browser and a port that serialises like Chromium's
 * (JSON), on to the real worker. Each request is refused (-32602, or 4200 for no such method)
 * or dropped; no id is answered twice; nothing stored changes; the worker keeps serving.
 * Also: the relay bug this fuzzing found (one request the port cannot carry failed every
 * request in flight with 4900).
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Runtime } from 'webextension-polyfill';
import { servePagePort, type PortLike } from '../../background/router/page-port.js';
import { CHANNEL, type FromWorkerMessage, type PageResponse, type ToPageMessage } from '../../src/protocol/envelope.js';
import { pageParamParsers } from '../../src/protocol/page-params.js';
import { Relay } from '../../src/relay/relay.js';
import {
  FakeWindow, FakeWorkerPort, ORIGIN_A, ORIGIN_B, b64, makeDeps, makeSessionRecord, toB64, until, verifyEd25519, type TestDeps,
} from '../unit/fakes.js';
import { record, size } from './counts.js';
import { CORE_FIELDS, POSITIONAL_FIELDS, badBatch, badParams, envelope, hasUsableId, makeExotic, validBases, EXOTICS } from './hostile.js';

const RUNS = size(10_000, 50_000);
const METHODS = Object.keys(pageParamParsers);
const REFUSED = new Set([-32602, 4200]);
let badInputs = 0;
let lost = 0;

let deps: TestDeps;
let sessionA: Awaited<ReturnType<typeof makeSessionRecord>>;
let sessionB: Awaited<ReturnType<typeof makeSessionRecord>>;
let bases: ReturnType<typeof validBases>;

/** Everything stored and every effect, comparable. */
async function state(): Promise<unknown> {
  // The activity log is written a moment after the fact: let it land first.
  await (deps as { audit?: { flush(): Promise<void> } }).audit?.flush();
  const stores: Record<string, unknown> = {};
  for (const store of [...deps.db.objectStoreNames].sort()) {
    stores[store] = ((await deps.db.getAll(store)) as Record<string, unknown>[]).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof CryptoKey ? `key:${v.type}` : v])),
    );
  }
  return { stores, area: deps.area.snapshot(), windowsShown: deps.showCalls };
}

before(async () => {
  deps = await makeDeps();
  sessionA = await makeSessionRecord({ origin: ORIGIN_A });
  sessionB = await makeSessionRecord({ origin: ORIGIN_B });
  await deps.sessions.add(sessionA);
  await deps.sessions.add(sessionB);
  // A pending approval of origin B, so the approval state is not empty.
  const portB = new FakeWorkerPort();
  servePagePort(portB, ORIGIN_B, Promise.resolve(deps));
  portB.send({ requests: [{ id: 'pending-b', method: 'keyhold_createSession', params: [{ ttlSeconds: 600 }] }] });
  await until(async () => (await deps.approvals.pending()).length === 1, 'the pending approval');
  deps.showCalls = 0;
  // Every method's valid params, so each mutation is the only fault: the session, wallet and
  // service methods (keyhold_send, keyhold_completeSession, personal_sign…) included.
  bases = validBases(sessionA.id);
});

after(() => record('fuzz (unit): worker port and relay', { badInputs, requestsLost: lost }));

/** The worker still signs for both origins, with their keys; only the owner may use a session. */
async function stillServes(): Promise<void> {
  for (const [origin, s, other] of [[ORIGIN_A, sessionA, sessionB], [ORIGIN_B, sessionB, sessionA]] as const) {
    const port = new FakeWorkerPort();
    servePagePort(port, origin, Promise.resolve(deps));
    port.send({ requests: [
      { id: 'mine', method: 'keyhold_signRequest', params: [{ sessionId: s.id, requestType: 1, body: 'AQID' }] },
      { id: 'theirs', method: 'keyhold_signRequest', params: [{ sessionId: other.id, requestType: 1, body: 'AQID' }] },
    ] });
    const [m] = await port.waitFor(1);
    const [mine, theirs] = m!.responses as [PageResponse, PageResponse];
    assert.ok('result' in mine, `${origin} signs: ${JSON.stringify(mine)}`);
    const env = mine.result as { payload: string; signature: string; public_key: string };
    assert.equal(env.public_key, toB64(s.publicKey));
    assert.ok(verifyEd25519(s.publicKey, b64(env.payload), b64(env.signature)));
    assert.ok('error' in theirs && theirs.error.code === 4100);
  }
}

describe(`fuzz: ${RUNS.toLocaleString('en-US')} hostile messages straight into the worker's page port`, () => {
  test('each request is refused with -32602 or 4200, or dropped; nothing stored changes; the worker keeps serving', async () => {
    const before = await state();
    const port = new FakeWorkerPort();
    servePagePort(port, ORIGIN_A, Promise.resolve(deps));
    let run = 0;
    const message = fc.oneof(
      { weight: 8, arbitrary: fc.tuple(fc.nat(), fc.nat()).chain(() => badBatch(METHODS, bases, true, `w${run}.`)).map((requests) => ({ requests }) as unknown) },
      { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...EXOTICS).map(makeExotic), fc.constant({ requests: {} }), fc.constant({ requests: 'x' })) },
    );
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        run++;
        badInputs++;
        const requests = (m as { requests?: unknown } | null)?.requests;
        const expected = Array.isArray(requests) ? requests.filter(hasUsableId).length : 0;
        const start = port.posted.length;
        const since = () => port.posted.slice(start).flatMap((p) => p.responses);
        port.send(m);
        const deadline = Date.now() + 2_000;
        while (since().length < expected && Date.now() < deadline) await new Promise((r) => setImmediate(r));
        const got = since();
        if (got.length < expected) lost += expected - got.length;
        assert.equal(got.length, expected, `every request with an id is answered: ${JSON.stringify(got).slice(0, 300)}`);
        for (const r of got) {
          assert.ok('error' in r && REFUSED.has(r.error.code), `refused, not served: ${JSON.stringify(r).slice(0, 300)}`);
        }
      }),
      { numRuns: RUNS },
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await state(), before, 'no stored state changed, no window shown');
    await stillServes();
  });
});

// ---- the relay, between a browser-like window and a Chromium-like port ----

/** Chromium serialises runtime port messages as JSON: what JSON cannot carry makes postMessage throw. */
const chromiumWire = (m: unknown): unknown => JSON.parse(JSON.stringify(m));

/** The relay's port and the worker's, joined like Chromium joins them. */
function connectToWorker(origin: string, ports: { relayEnd: unknown }[]): Runtime.Port {
  const toRelay: ((m: unknown) => void)[] = [];
  const toWorker: ((m: unknown) => void)[] = [];
  const workerEnd: PortLike = {
    postMessage: (m: FromWorkerMessage) => {
      const wire = chromiumWire(m);
      queueMicrotask(() => toRelay.forEach((cb) => cb(wire)));
    },
    onMessage: { addListener: (cb) => void toWorker.push(cb) },
    onDisconnect: { addListener: () => undefined },
  };
  const relayEnd = {
    postMessage: (m: unknown) => {
      const wire = chromiumWire(m); // throws, as Chromium does, on a cycle or a BigInt
      queueMicrotask(() => toWorker.forEach((cb) => cb(wire)));
    },
    onMessage: { addListener: (cb: (m: unknown) => void) => void toRelay.push(cb) },
    onDisconnect: { addListener: () => undefined },
    disconnect: () => undefined,
  };
  ports.push({ relayEnd });
  servePagePort(workerEnd, origin, Promise.resolve(deps));
  return relayEnd as unknown as Runtime.Port;
}

/** A page: a window whose postMessage clones like a browser's (throwing DataCloneError), and the relay in it. */
function pageWithRelay(origin = ORIGIN_A) {
  const win = new FakeWindow(origin);
  const ports: { relayEnd: unknown }[] = [];
  new Relay({ win: win.asWindow(), connect: () => connectToWorker(origin, ports), later: (fn) => setTimeout(fn, 0) });
  /** The page posts `data` to itself; returns false when the browser would throw in postMessage. */
  const post = (data: unknown): boolean => {
    let cloned: unknown;
    try {
      cloned = structuredClone(data);
    } catch {
      return false;
    }
    win.dispatch({ source: win, origin, data: cloned });
    return true;
  };
  /** The answers the page received, from its `from`-th window message on. */
  const responses = (from = 0): PageResponse[] =>
    win.posted.slice(from).flatMap((p) => {
      const m = p.message as ToPageMessage;
      assert.equal(p.targetOrigin, origin, 'answers go to the page origin only');
      assert.equal(m.channel, CHANNEL);
      assert.equal(m.dir, 'to-page');
      return m.responses;
    });
  return { win, ports, post, responses };
}

describe(`fuzz: ${RUNS.toLocaleString('en-US')} hostile window messages through the relay to the worker`, () => {
  test('each request is refused or dropped, answered at most once; dropped envelopes get nothing; nothing stored changes', async () => {
    const before = await state();
    const page = pageWithRelay();
    let run = 0;
    const answered = new Set<string>();
    await fc.assert(
      fc.asyncProperty(envelope(badBatch(METHODS, bases, true, 'p')), async ({ data, relayAccepts }) => {
        run++;
        badInputs++;
        // Ids unique per run, so that "answered at most once" means something across runs.
        if (relayAccepts) {
          const requests = (data as { requests: unknown[] }).requests.map((r) => (hasUsableId(r) ? { ...r, id: `${run}.${r.id}`.slice(0, 64) } : r));
          data = { ...(data as object), requests };
        }
        const requests = relayAccepts ? (data as { requests: unknown[] }).requests : [];
        const usable = new Set(requests.filter(hasUsableId).map((r) => r.id));
        const start = page.win.posted.length;
        if (!page.post(data)) return; // the browser refuses to clone it: nothing reaches Keyhold
        const deadline = Date.now() + 2_000;
        while (page.responses(start).length < usable.size && Date.now() < deadline) await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
        const got = page.responses(start);
        if (got.length < usable.size) lost += usable.size - got.length;
        assert.equal(got.length, usable.size, `one answer per usable id: ${JSON.stringify(got).slice(0, 300)}`);
        for (const r of got) {
          assert.ok(usable.has(r.id), `an answer for an id that was not asked: ${r.id}`);
          assert.ok(!answered.has(r.id), `answered twice: ${r.id}`);
          answered.add(r.id);
          assert.ok('error' in r && REFUSED.has(r.error.code), `refused, not served or failed: ${JSON.stringify(r).slice(0, 300)}`);
        }
      }),
      { numRuns: RUNS },
    );
    assert.ok(answered.size > RUNS, `the fuzz reached the worker (${answered.size} answers)`);
    assert.equal(page.ports.length, 1, 'the relay never lost its port to a bad message');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await state(), before, 'no stored state changed, no window shown');
    await stillServes();
  });
});

describe('targeted malformations of every method the generators know', () => {
  test('for the session, service and wallet methods, each generated params is refused by the method\'s own validator with -32602', () => {
    const methods = [...Object.keys(CORE_FIELDS), ...Object.keys(POSITIONAL_FIELDS)];
    for (const m of ['keyhold_send', 'keyhold_completeSession', 'personal_sign', 'eth_signTypedData_v4', 'wallet_requestPermissions', 'keyhold_createApiKey']) {
      assert.ok(methods.includes(m), `${m} has targeted malformations`);
    }
    for (const method of [...methods, 'eth_requestAccounts']) {
      const parse = pageParamParsers[method as keyof typeof pageParamParsers];
      const base = bases[method];
      if (base) assert.doesNotThrow(() => parse(Array.isArray(base) ? base : [base]), `${method}: its base params are valid, so each mutation is the only fault`);
      for (const params of fc.sample(badParams(method, base, true), { numRuns: size(300, 3_000), seed: 0x6b68 })) {
        badInputs++;
        let code: number | undefined;
        try {
          parse(params);
        } catch (e) {
          code = (e as { code?: number }).code;
        }
        if (code !== -32602) assert.fail(`${method}: ${code === undefined ? 'accepted' : `refused with ${code}`}: ${String(Array.isArray(params) ? params.map(String) : params).slice(0, 200)}`);
      }
    }
  });
});

describe('a request the port cannot carry', () => {
  test('is refused with -32602 alone; the requests in flight with it still sign', async () => {
    const page = pageWithRelay();
    const good = Array.from({ length: 20 }, (_, i) => ({ id: `g${i}`, method: 'keyhold_signRequest', params: [{ sessionId: sessionA.id, requestType: 1, body: 'AQID' }] }));
    const cyclic: Record<string, unknown> = { sessionId: sessionA.id };
    cyclic.self = cyclic;
    // Two batches: good ones in flight, then a bad one; then good and bad in one batch.
    assert.ok(page.post({ channel: CHANNEL, dir: 'to-keyhold', requests: good.slice(0, 10) }));
    assert.ok(page.post({ channel: CHANNEL, dir: 'to-keyhold', requests: [{ id: 'cycle', method: 'keyhold_signRequest', params: [cyclic] }] }));
    assert.ok(page.post({ channel: CHANNEL, dir: 'to-keyhold', requests: [...good.slice(10), { id: 'bigint', method: 'keyhold_signRequest', params: [{ requestType: 10n }] }] }));
    badInputs += 2;
    await until(() => page.responses().length >= 22, '22 answers');
    const byId = new Map(page.responses().map((r) => [r.id, r]));
    for (const g of good) {
      const r = byId.get(g.id);
      assert.ok(r && 'result' in r, `${g.id} signs despite the bad request beside it: ${JSON.stringify(r)}`);
    }
    for (const id of ['cycle', 'bigint']) {
      const r = byId.get(id);
      assert.ok(r && 'error' in r && r.error.code === -32602, `${id}: ${JSON.stringify(r)}`);
    }
    assert.equal(page.ports.length, 1, 'no reconnect: the port was fine');
  });
});
