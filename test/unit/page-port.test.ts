/**
 * The page port end to end inside the worker: real handlers, a fake-indexeddb session store, the
 * approval queue over an in-memory area, and a fake port. Signatures are checked with
 * node:crypto. Also covers `approvals/decide.ts`.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideApproval } from '../../background/approvals/decide.js';
import { MAX_BATCH, SLICE, servePagePort } from '../../background/router/page-port.js';
import { WORKER_MARKS } from '../../src/platform/worker-marks.js';
import { UNKNOWN_SESSION } from '../../background/sessions/policy.js';
import type { PageRequest, PageResponse } from '../../src/protocol/envelope.js';
import type { BytesEnvelope, FrameResult, JsonEnvelope, SessionInfo } from '../../src/protocol/page-api.js';
import { AUTH_WINDOW_MS, SignatureType, WIRE_VERSION, decodeFrame, decodePayload } from '../../src/wire/payload.js';
import {
  FakeWorkerPort, MemoryArea, ORIGIN_A, ORIGIN_B, T0, b64, cryptoKeyPaths, makeDeps, makeSessionRecord, settle,
  toB64, uniqueDbName, until, verifyEd25519, type TestDeps,
} from './fakes.js';

/** Every port used in this file, checked at the end for leaked key objects (invariant 1). */
const allPorts: FakeWorkerPort[] = [];

function serve(deps: TestDeps, origin = ORIGIN_A): FakeWorkerPort {
  const port = new FakeWorkerPort();
  allPorts.push(port);
  servePagePort(port, origin, Promise.resolve(deps));
  return port;
}

/** Sends one batch and returns the next port message's responses. */
/**
 * Sends one batch and collects its answers: one message for the batched methods, one each for
 * those that wait on the user or a service.
 */
async function call(port: FakeWorkerPort, requests: unknown[]): Promise<PageResponse[]> {
  const before = port.posted.length;
  const answerable = requests.filter((r) => typeof (r as { id?: unknown })?.id === 'string' && ((r as { id: string }).id.length - 1) >>> 0 < 64).length;
  port.send({ requests });
  const since = () => port.posted.slice(before).flatMap((m) => m.responses);
  await until(() => since().length >= answerable, `${answerable} answers`);
  return since();
}

async function one(port: FakeWorkerPort, request: PageRequest): Promise<PageResponse> {
  const [r, ...rest] = await call(port, [request]);
  assert.equal(rest.length, 0);
  return r!;
}

function errorOf(r: PageResponse | undefined): { code: number; message: string } {
  assert.ok(r && 'error' in r, `an error response expected, got ${JSON.stringify(r)}`);
  return r.error;
}

function resultOf<T>(r: PageResponse | undefined): T {
  assert.ok(r && 'result' in r, `a result expected, got ${JSON.stringify(r)}`);
  return r.result as T;
}

const sign = (id: string, sessionId: string, requestType = 1, body = Uint8Array.of(1, 2, 3), encoding?: string): PageRequest => ({
  id,
  method: 'keyhold_signRequest',
  params: [{ sessionId, requestType, body: toB64(body), ...(encoding ? { encoding } : {}) }],
});

const create = (id: string, params: Record<string, unknown> = { ttlSeconds: 600 }): PageRequest => ({
  id,
  method: 'keyhold_createSession',
  params: [params],
});

async function withSession(deps: TestDeps, over: Parameters<typeof makeSessionRecord>[0] = {}) {
  const record = await makeSessionRecord(over);
  await deps.sessions.add(record);
  return record;
}

const countSessions = (deps: TestDeps): Promise<number> => deps.db.count('sessions');

describe('keyhold_signRequest over the port', () => {
  test(`a batch bigger than ${SLICE} is answered in slices of ${SLICE}, in request order, every signature verified`, async () => {
    const deps = await makeDeps();
    const record = await withSession(deps);
    const port = serve(deps);
    const N = 2 * SLICE + 44;
    const requests = Array.from({ length: N }, (_, i) => sign(`r${i}`, record.id, 1, new TextEncoder().encode(`{"n":${i}}`)));
    port.send({ requests });
    await until(() => port.posted.flatMap((m) => m.responses).length >= N, `${N} answers`);
    await settle(20);
    // A slice is answered when its last signature is done, so slices may arrive in any order;
    // each one holds its requests in request order.
    const slices = [...port.posted].sort((a, b) => Number(a.responses[0]!.id.slice(1)) - Number(b.responses[0]!.id.slice(1)));
    assert.deepEqual(slices.map((m) => m.responses.length), [SLICE, SLICE, 44], 'one message per slice');
    const responses = slices.flatMap((m) => m.responses);
    assert.deepEqual(responses.map((r) => r.id), requests.map((r) => r.id));
    for (const r of responses) {
      const env = resultOf<JsonEnvelope>(r);
      assert.ok(verifyEd25519(record.publicKey, b64(env.payload), b64(env.signature)));
    }
  });

  test('a batch of one more than a slice comes back as two messages', async () => {
    const deps = await makeDeps();
    const record = await withSession(deps);
    const port = serve(deps);
    const requests = Array.from({ length: SLICE + 1 }, (_, i) => sign(`r${i}`, record.id, 1, Uint8Array.of(i)));
    port.send({ requests });
    // Each slice is answered as its own message: served as one batch, one message would carry all.
    await until(() => port.posted.length >= 2, 'two messages');
    assert.deepEqual(port.posted.map((m) => m.responses.length).sort((a, b) => a - b), [1, SLICE]);
  });

  test('a batch of N signs comes back as one message of N verified signatures', async () => {
    const deps = await makeDeps();
    const record = await withSession(deps);
    const port = serve(deps);
    const N = 50;
    const bodies = Array.from({ length: N }, (_, i) => new TextEncoder().encode(`{"n":${i}}`));
    const requests = bodies.map((b, i) => sign(`r${i}`, record.id, 100 + i, b));
    port.send({ requests });
    await port.waitFor(1);
    await settle(20);
    assert.equal(port.posted.length, 1, 'one port message for the whole batch');
    const responses = port.posted[0]!.responses;
    assert.equal(responses.length, N);
    const requestIds = new Set<string>();
    responses.forEach((r, i) => {
      assert.equal(r.id, `r${i}`);
      const env = resultOf<JsonEnvelope>(r);
      assert.deepEqual(Object.keys(env).sort(), ['payload', 'public_key', 'signature']);
      assert.equal(env.public_key, toB64(record.publicKey));
      const payload = b64(env.payload);
      assert.ok(verifyEd25519(record.publicKey, payload, b64(env.signature)), `signature ${i} verifies`);
      assert.equal(payload[0], WIRE_VERSION);
      assert.equal(payload[0], 1);
      assert.equal(payload[1], SignatureType.Ed25519);
      const f = decodePayload(payload);
      assert.equal(f.requestType, 100 + i);
      assert.deepEqual(f.body, bodies[i]);
      assert.equal(f.issuedAtMs, deps.clock.now, 'the worker chose the timestamp');
      assert.equal(f.expiresAtMs, f.issuedAtMs + AUTH_WINDOW_MS);
      assert.equal(f.expiresAtMs - f.issuedAtMs, 60_000);
      assert.equal(f.requestId[6]! >> 4, 7, 'UUIDv7 version nibble');
      assert.equal(f.requestId[8]! >> 6, 0b10, 'RFC 9562 variant');
      requestIds.add(toB64(f.requestId));
    });
    assert.equal(requestIds.size, N, 'request ids are distinct');
  });

  test('binary encoding: a frame that decodes and verifies', async () => {
    const deps = await makeDeps();
    const record = await withSession(deps);
    const port = serve(deps);
    const r = await one(port, sign('b', record.id, 9, Uint8Array.of(0xff), 'binary'));
    const { frame } = resultOf<FrameResult>(r);
    const parts = decodeFrame(b64(frame));
    assert.deepEqual(parts.publicKey, record.publicKey);
    assert.ok(verifyEd25519(record.publicKey, parts.payload, parts.signature));
    assert.equal(decodePayload(parts.payload).requestType, 9);
  });

  test('bytes: a Uint8Array body, and encoding bytes answers the envelope as Uint8Arrays that verify', async () => {
    const deps = await makeDeps();
    const record = await withSession(deps);
    const port = serve(deps);
    const body = Uint8Array.of(7, 8, 9);
    const r = await one(port, { id: 'u', method: 'keyhold_signRequest', params: [{ sessionId: record.id, requestType: 5, body, encoding: 'bytes' }] });
    const env = resultOf<BytesEnvelope>(r);
    assert.deepEqual(Object.keys(env).sort(), ['payload', 'public_key', 'signature']);
    for (const v of Object.values(env)) assert.ok(v instanceof Uint8Array);
    assert.deepEqual(env.public_key, record.publicKey);
    assert.ok(verifyEd25519(record.publicKey, env.payload, env.signature));
    const f = decodePayload(env.payload);
    assert.equal(f.requestType, 5);
    assert.deepEqual(f.body, body);
    // A Uint8Array body with the default encoding answers base64 strings, as ever.
    const j = resultOf<JsonEnvelope>(await one(port, { id: 'v', method: 'keyhold_signRequest', params: [{ sessionId: record.id, requestType: 5, body }] }));
    assert.ok(verifyEd25519(record.publicKey, b64(j.payload), b64(j.signature)));
    assert.deepEqual(decodePayload(b64(j.payload)).body, body);
  });

  test('a signature leaves the first-signature mark the bench reads after a cold start, once', async () => {
    const deps = await makeDeps();
    const record = await withSession(deps);
    const port = serve(deps);
    resultOf<JsonEnvelope>(await one(port, sign('m1', record.id)));
    resultOf<JsonEnvelope>(await one(port, sign('m2', record.id)));
    assert.equal(performance.getEntriesByName(WORKER_MARKS.firstSignature).length, 1);
  });

  test('the session signs after a worker restart (fresh store over the same database)', async () => {
    const dbName = uniqueDbName('restart');
    const deps = await makeDeps({ dbName });
    const record = await withSession(deps);
    const restarted = await makeDeps({ dbName });
    const r = await one(serve(restarted), sign('x', record.id));
    const env = resultOf<JsonEnvelope>(r);
    assert.ok(verifyEd25519(record.publicKey, b64(env.payload), b64(env.signature)));
  });

  test("another origin's session: 4100 with the same message as an unknown id", async () => {
    const deps = await makeDeps();
    const record = await withSession(deps, { origin: ORIGIN_A });
    const portB = serve(deps, ORIGIN_B);
    const foreign = errorOf(await one(portB, sign('f', record.id)));
    const unknown = errorOf(await one(portB, sign('u', '01977420-dc00-7000-8000-000000000000')));
    assert.equal(foreign.code, 4100);
    assert.equal(unknown.code, 4100);
    assert.equal(foreign.message, UNKNOWN_SESSION);
    assert.deepEqual(foreign, unknown);
    // The owner still signs: the refusal was about the origin, not the session.
    resultOf(await one(serve(deps, ORIGIN_A), sign('ok', record.id)));
  });

  test('expired at validUntil: 4100', async () => {
    const deps = await makeDeps();
    const record = await withSession(deps, { validUntil: T0 + 1_000 });
    const port = serve(deps);
    deps.clock.now = T0 + 999;
    resultOf(await one(port, sign('before', record.id)));
    deps.clock.now = T0 + 1_000;
    const e = errorOf(await one(port, sign('at', record.id)));
    assert.equal(e.code, 4100);
    assert.match(e.message, /expired/);
  });

  test('a request type not granted: 4100; a granted one signs', async () => {
    const deps = await makeDeps();
    const record = await withSession(deps, { requestTypes: [5, 6] });
    const port = serve(deps);
    const [denied, granted] = await call(port, [sign('d', record.id, 7), sign('g', record.id, 6)]);
    assert.equal(errorOf(denied).code, 4100);
    assert.match(errorOf(denied).message, /request type 7/);
    resultOf(granted);
  });

  test('revoke, then sign: 4100, and the key is gone from IndexedDB', async () => {
    const deps = await makeDeps();
    const record = await withSession(deps);
    const port = serve(deps);
    resultOf(await one(port, sign('before', record.id)));
    const revoked = await one(port, { id: 'rv', method: 'keyhold_revokeSession', params: [{ sessionId: record.id }] });
    assert.deepEqual(resultOf(revoked), { revoked: true });
    assert.equal(await deps.db.get('sessions', record.id), undefined);
    const after = errorOf(await one(port, sign('after', record.id)));
    assert.equal(after.code, 4100);
    assert.equal(after.message, UNKNOWN_SESSION);
    const again = errorOf(await one(port, { id: 'rv2', method: 'keyhold_revokeSession', params: [{ sessionId: record.id }] }));
    assert.equal(again.code, 4100);
  });

  test("revoking another origin's session: 4100 as unknown, and it survives", async () => {
    const deps = await makeDeps();
    const record = await withSession(deps, { origin: ORIGIN_A });
    const e = errorOf(await one(serve(deps, ORIGIN_B), { id: 'rv', method: 'keyhold_revokeSession', params: [{ sessionId: record.id }] }));
    assert.equal(e.code, 4100);
    assert.equal(e.message, UNKNOWN_SESSION);
    assert.ok(await deps.db.get('sessions', record.id));
  });
});

describe('malformed requests', () => {
  test('unknown method: 4200', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    for (const method of ['eth_sign', 'keyhold_exportKey', '__proto__', 'constructor', 'toString']) {
      const e = errorOf(await one(port, { id: method, method }));
      assert.equal(e.code, 4200, method);
    }
  });

  test('method not a string: -32602', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const responses = await call(port, [
      { id: 'a', method: 1 },
      { id: 'b' },
      { id: 'c', method: null },
      { id: 'd', method: ['keyhold_listSessions'] },
      { id: 'e', method: '' },
      { id: 'f', method: 'x'.repeat(10_000) },
    ]);
    assert.deepEqual(responses.map((r) => r.id), ['a', 'b', 'c', 'd', 'e', 'f']);
    for (const r of responses) assert.equal(errorOf(r).code, -32602);
  });

  test('requests without a usable string id are dropped, the rest answered', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const responses = await call(port, [
      { method: 'keyhold_listSessions' },
      { id: 5, method: 'keyhold_listSessions' },
      { id: '', method: 'keyhold_listSessions' },
      { id: 'x'.repeat(65), method: 'keyhold_listSessions' },
      { id: null, method: 'keyhold_listSessions' },
      null,
      'keyhold_listSessions',
      [],
      { id: 'ok', method: 'keyhold_listSessions' },
    ]);
    assert.deepEqual(responses.map((r) => r.id), ['ok']);
  });

  test('a batch of only id-less requests posts nothing', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    port.send({ requests: [{ method: 'keyhold_listSessions' }] });
    port.send({ notRequests: [] });
    port.send(null);
    port.send('x');
    await settle(30);
    assert.equal(port.posted.length, 0);
  });

  test('a batch larger than MAX_BATCH is dropped whole', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const requests = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ id: `r${i}`, method: 'keyhold_listSessions' }));
    port.send({ requests });
    await settle(50);
    assert.equal(port.posted.length, 0);
    // Exactly MAX_BATCH is served, in slices of SLICE (an unknown method: no storage work).
    const full = Array.from({ length: MAX_BATCH }, (_, i) => ({ id: `r${i}`, method: 'keyhold_nope' }));
    const responses = await call(port, full);
    assert.equal(responses.length, MAX_BATCH);
    assert.equal(port.posted.length, Math.ceil(MAX_BATCH / SLICE));
  });

  test('params with own __proto__ / constructor keys: -32602', async () => {
    const deps = await makeDeps();
    const record = await withSession(deps);
    const port = serve(deps);
    const responses = await call(port, [
      { id: 'a', method: 'keyhold_signRequest', params: [JSON.parse(`{"__proto__": {"requestType": 1}, "sessionId": "${record.id}", "requestType": 1, "body": ""}`)] },
      { id: 'b', method: 'keyhold_revokeSession', params: [JSON.parse(`{"constructor": {}, "sessionId": "${record.id}"}`)] },
      { id: 'c', method: 'keyhold_createSession', params: [JSON.parse('{"__proto__": 1, "ttlSeconds": 60}')] },
    ]);
    assert.deepEqual(responses.map((r) => r.id).sort(), ['a', 'b', 'c']);
    for (const r of responses) assert.equal(errorOf(r).code, -32602, r.id);
    assert.match(errorOf(responses.find((r) => r.id === 'a')).message, /__proto__/);
    assert.ok(await deps.db.get('sessions', record.id), 'not revoked');
    assert.equal((await deps.approvals.pending()).length, 0, 'no approval queued');
    assert.equal(deps.showCalls, 0);
  });

  test('a flood of 1,000 malformed requests changes nothing, and a valid sign still works', async () => {
    const deps = await makeDeps();
    const mine = await withSession(deps, { origin: ORIGIN_A, requestTypes: [1] });
    const theirs = await withSession(deps, { origin: ORIGIN_B });
    const port = serve(deps, ORIGIN_A);
    const sessionsBefore = await countSessions(deps);
    const areaBefore = deps.area.snapshot();
    const bad: unknown[] = [
      (i: number) => ({ id: `f${i}`, method: 'keyhold_createSession', params: [{ ttlSeconds: 59 }] }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_createSession', params: { ttlSeconds: 60 } }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_createSession', params: [{ ttlSeconds: 60, evil: i }] }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_revokeSession', params: [{ sessionId: theirs.id }] }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_revokeSession', params: [{ sessionId: 'nope' }] }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_revokeSession', params: [{ sessionId: mine.id, origin: ORIGIN_A }] }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_signRequest', params: [{ sessionId: mine.id, requestType: 1, body: 'abc' }] }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_signRequest', params: [{ sessionId: mine.id, requestType: 2, body: '' }] }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_signRequest', params: [{ sessionId: theirs.id, requestType: 1, body: '' }] }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_listSessions', params: [1] }),
      (i: number) => ({ id: `f${i}`, method: i }),
      (i: number) => ({ id: `f${i}`, method: 'keyhold_nope' }),
      () => ({ method: 'keyhold_revokeSession', params: [{ sessionId: mine.id }] }), // no id: dropped
    ];
    const makers = bad as ((i: number) => unknown)[];
    const requests = Array.from({ length: 1_000 }, (_, i) => makers[i % makers.length]!(i));
    const expected = requests.filter((r) => typeof (r as { id?: unknown }).id === 'string').length;
    port.send({ requests });
    // createSession is interactive: each is answered on its own, the rest in one message.
    await until(() => port.responses().length >= expected, `${expected} responses`);
    await settle(20);
    const responses = port.responses();
    assert.equal(responses.length, expected);
    assert.equal(new Set(responses.map((r) => r.id)).size, expected);
    for (const r of responses) assert.ok('error' in r, `${r.id} must fail`);
    assert.ok(responses.every((r) => 'error' in r && [4100, 4200, -32602].includes(r.error.code)));
    assert.equal(await countSessions(deps), sessionsBefore);
    assert.ok(await deps.db.get('sessions', mine.id));
    assert.ok(await deps.db.get('sessions', theirs.id));
    assert.deepEqual(deps.area.snapshot(), areaBefore);
    assert.equal(deps.showCalls, 0);
    const ok = resultOf<JsonEnvelope>(await one(port, sign('valid', mine.id, 1)));
    assert.ok(verifyEd25519(mine.publicKey, b64(ok.payload), b64(ok.signature)));
  });
});

describe('keyhold_listSessions', () => {
  test("only the caller's live sessions, as SessionInfo with exactly the public fields", async () => {
    const deps = await makeDeps();
    const a1 = await withSession(deps, { origin: ORIGIN_A, createdAt: T0 - 10, label: 'one', requestTypes: [1, 2], subaccountIndex: 3, role: 'FULL_ACCESS' });
    const a2 = await withSession(deps, { origin: ORIGIN_A, createdAt: T0 - 5 });
    await withSession(deps, { origin: ORIGIN_A, createdAt: T0 - 20, validUntil: T0 });
    await withSession(deps, { origin: ORIGIN_B });
    const list = resultOf<SessionInfo[]>(await one(serve(deps, ORIGIN_A), { id: 'l', method: 'keyhold_listSessions' }));
    assert.deepEqual(list.map((s) => s.id), [a1.id, a2.id]);
    for (const s of list) {
      assert.deepEqual(Object.keys(s).sort(), ['createdAt', 'id', 'label', 'publicKey', 'requestTypes', 'role', 'subaccountIndex', 'validUntil']);
    }
    assert.deepEqual(list[0], {
      id: a1.id,
      publicKey: toB64(a1.publicKey),
      role: 'FULL_ACCESS',
      subaccountIndex: 3,
      requestTypes: [1, 2],
      label: 'one',
      createdAt: new Date(T0 - 10).toISOString(),
      validUntil: new Date(a1.validUntil).toISOString(),
    });
    const listB = resultOf<SessionInfo[]>(await one(serve(deps, ORIGIN_B), { id: 'l', method: 'keyhold_listSessions', params: [] }));
    assert.equal(listB.length, 1);
    assert.ok(!listB.some((s) => s.id === a1.id || s.id === a2.id));
  });
});

describe('keyhold_createSession and decideApproval', () => {
  const pendingOne = async (deps: TestDeps) => {
    await until(async () => (await deps.approvals.pending()).length === 1, 'one pending approval');
    return (await deps.approvals.pending())[0]!;
  };

  test('queues an approval, shows it, and answers the SessionInfo once approved', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    port.send({ requests: [create('c1', { ttlSeconds: 600, label: 'Desk', requestTypes: [3, 1] })] });
    const approval = await pendingOne(deps);
    assert.equal(approval.origin, ORIGIN_A);
    assert.equal(approval.kind, 'createSession');
    assert.deepEqual(approval.params.requestTypes, [1, 3]);
    await until(() => deps.showCalls === 1, 'showApprovals');
    assert.equal(port.posted.length, 0, 'no answer before the user decides');

    deps.clock.now = T0 + 5_000;
    assert.deepEqual(await decideApproval(deps, approval.id, true), { ok: true });
    await port.waitFor(1);
    const [response] = port.posted[0]!.responses;
    assert.equal(response?.id, 'c1');
    const info = resultOf<SessionInfo>(response);
    assert.deepEqual(Object.keys(info).sort(), ['createdAt', 'id', 'label', 'publicKey', 'requestTypes', 'role', 'subaccountIndex', 'validUntil']);
    assert.equal(info.label, 'Desk');
    assert.deepEqual(info.requestTypes, [1, 3]);
    assert.equal(info.role, 'TRADING_ONLY');
    assert.equal(info.createdAt, new Date(T0 + 5_000).toISOString());
    assert.equal(info.validUntil, new Date(T0 + 5_000 + 600_000).toISOString());
    const stored = await deps.db.get('sessions', info.id);
    assert.equal(stored?.origin, ORIGIN_A, 'the session belongs to the origin from the port');
    assert.equal(toB64(stored!.publicKey), info.publicKey);
    assert.equal(stored!.privateKey.extractable, false);
    assert.deepEqual((await deps.approvals.get(approval.id))?.result, { sessionId: info.id });

    // The new session signs for its origin.
    const env = resultOf<JsonEnvelope>(await one(port, sign('s', info.id, 3)));
    assert.ok(verifyEd25519(b64(info.publicKey), b64(env.payload), b64(env.signature)));
  });

  test('a createSession does not hold back the other answers of its batch', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    port.send({ requests: [create('c'), { id: 'l', method: 'keyhold_listSessions' }] });
    await port.waitFor(1);
    assert.deepEqual(port.posted[0]!.responses.map((r) => r.id), ['l']);
    const approval = await pendingOne(deps);
    await decideApproval(deps, approval.id, true);
    await port.waitFor(2);
    assert.deepEqual(port.posted[1]!.responses.map((r) => r.id), ['c']);
  });

  test('reject: 4001 and no session', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    port.send({ requests: [create('c1')] });
    const approval = await pendingOne(deps);
    await decideApproval(deps, approval.id, false);
    await port.waitFor(1);
    const e = errorOf(port.posted[0]!.responses[0]);
    assert.equal(e.code, 4001);
    assert.equal(await countSessions(deps), 0);
  });

  test('a replayed createSession after a restart does not queue a second approval and gets the same session', async () => {
    const dbName = uniqueDbName('replay');
    const area = new MemoryArea();
    const clock = { now: T0 };
    const before = await makeDeps({ dbName, area, clock });
    serve(before).send({ requests: [create('c1')] });
    const approval = await pendingOne(before);

    // The worker restarts: new deps over the same storage, a new port, the relay replays.
    const after = await makeDeps({ dbName, area, clock });
    const port2 = serve(after);
    port2.send({ requests: [create('c1')] });
    await until(() => after.showCalls === 1, 'the approval window shown again');
    const pending = await after.approvals.pending();
    assert.deepEqual(pending.map((a) => a.id), [approval.id], 'still one approval');

    await decideApproval(after, approval.id, true);
    await port2.waitFor(1);
    const info = resultOf<SessionInfo>(port2.posted[0]!.responses[0]);
    assert.equal(await countSessions(after), 1);
    assert.deepEqual((await after.approvals.get(approval.id))?.result, { sessionId: info.id });

    // Replayed once more after the decision: the same session at once, no new approval.
    const port3 = serve(after);
    const again = resultOf<SessionInfo>(await one(port3, create('c1')));
    assert.equal(again.id, info.id);
    assert.equal(await countSessions(after), 1);
    assert.equal(after.showCalls, 1);
    assert.deepEqual(await after.approvals.pending(), []);
  });

  test('the same request id from another origin is a separate approval', async () => {
    const deps = await makeDeps();
    serve(deps, ORIGIN_A).send({ requests: [create('c1')] });
    serve(deps, ORIGIN_B).send({ requests: [create('c1')] });
    await until(async () => (await deps.approvals.pending()).length === 2, 'two approvals');
    assert.deepEqual((await deps.approvals.pending()).map((a) => a.origin).sort(), [ORIGIN_A, ORIGIN_B]);
  });

  test('deciding the same approval twice concurrently makes one session', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    port.send({ requests: [create('c1')] });
    const approval = await pendingOne(deps);
    const results = await Promise.allSettled([
      decideApproval(deps, approval.id, true),
      decideApproval(deps, approval.id, true),
      decideApproval(deps, approval.id, false),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.equal((r.reason as { code?: number }).code, -32602);
    }
    assert.equal(await countSessions(deps), 1);
    await port.waitFor(1);
    resultOf<SessionInfo>(port.posted[0]!.responses[0]);
    // Deciding again later: -32602, still one session.
    await assert.rejects(decideApproval(deps, approval.id, true), (e: { code?: number }) => e.code === -32602);
    assert.equal(await countSessions(deps), 1);
  });

  test('an approval rejected while its key is being made leaves no session behind', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    port.send({ requests: [create('c1')] });
    const approval = await pendingOne(deps);
    // The window closes (rejectAll) in the middle of approving: after the key exists, before the
    // approval is settled.
    const add = deps.sessions.add.bind(deps.sessions);
    deps.sessions.add = async (record) => {
      const live = await add(record);
      await deps.approvals.rejectAll();
      return live;
    };
    await assert.rejects(decideApproval(deps, approval.id, true), (e: { code?: number }) => e.code === -32602);
    assert.equal(await countSessions(deps), 0);
    await port.waitFor(1);
    assert.equal(errorOf(port.posted[0]!.responses[0]).code, 4001);
  });

  test('deciding an unknown approval: -32602, nothing made', async () => {
    const deps = await makeDeps();
    await assert.rejects(decideApproval(deps, crypto.randomUUID(), true), (e: { code?: number }) => e.code === -32602);
    assert.equal(await countSessions(deps), 0);
  });

  test('a full queue answers -32005 at once', async () => {
    const deps = await makeDeps({ limits: { perOrigin: 1, perSite: 5, total: 5, keepDecidedMs: 60_000 } });
    const port = serve(deps);
    port.send({ requests: [create('c1')] });
    await pendingOne(deps);
    const e = errorOf(await one(port, create('c2')));
    assert.equal(e.code, -32005);
    assert.equal((await deps.approvals.pending()).length, 1);
  });
});

describe('invariant 1: nothing sent to a page holds key material', () => {
  test('the walker finds a CryptoKey nested anywhere (so the check can fail)', async () => {
    const r = await makeSessionRecord();
    assert.deepEqual(cryptoKeyPaths({ a: [{ b: r.privateKey }] }), ['$.a.0.b']);
    assert.deepEqual(cryptoKeyPaths({ a: [{ b: r.publicKey }] }), []);
  });

  test('no response posted in this file carries a CryptoKey or a privateKey field', () => {
    assert.ok(allPorts.length > 10);
    const responses = allPorts.flatMap((p) => p.responses());
    assert.ok(responses.length > 1_000);
    for (const r of responses) {
      assert.deepEqual(cryptoKeyPaths(r), [], `response ${r.id}`);
      const text = JSON.stringify(r);
      assert.ok(!/privateKey|private_key|"origin"/.test(text), `response ${r.id}: ${text.slice(0, 200)}`);
    }
  });
});
