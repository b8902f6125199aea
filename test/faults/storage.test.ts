/**
 * Storage failures at the unit level (fake-indexeddb, real worker code): IndexedDB out of quota,
 * a transaction aborted under a write, a failed read, `storage.session` out of quota. Each gives
 * a clear error (-32603 to the page, with no internal detail), writes nothing by half, never
 * leaves an approval "approved" without its session, and the worker serves again once storage
 * recovers.
 * @module
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideApproval } from '../../background/approvals/decide.js';
import { answerRpc } from '../../background/router/extension-rpc.js';
import { servePagePort } from '../../background/router/page-port.js';
import type { PageResponse } from '../../src/protocol/envelope.js';
import { RPC_CHANNEL } from '../../src/protocol/extension-rpc.js';
import type { JsonEnvelope, SessionInfo } from '../../src/protocol/page-api.js';
import {
  FakeWorkerPort, ORIGIN_A, T0, b64, makeDeps, makeSessionRecord, toB64, uniqueDbName, until, verifyEd25519, type TestDeps,
} from '../unit/fakes.js';
import { record } from './counts.js';

let injected = 0;
after(() => record('storage failures (unit)', { storageFailures: injected }));

type Mode = 'quota' | 'abort';
const WRITES = ['add', 'put', 'delete', 'clear'] as const;
const CURSOR_WRITES = ['delete', 'update'] as const;

/**
 * Makes every IndexedDB write fail until restored: `quota` throws QuotaExceededError as the
 * write is made; `abort` makes the write, then aborts its transaction (the write and every
 * earlier one in it roll back, as when the browser aborts a transaction).
 */
function failWrites(mode: Mode): () => void {
  type Proto = Record<string, (...a: unknown[]) => IDBRequest>;
  const stores = IDBObjectStore.prototype as unknown as Proto;
  const cursors = IDBCursor.prototype as unknown as Proto;
  const saved = [
    ...WRITES.map((m) => [stores, m, stores[m]!] as const),
    ...CURSOR_WRITES.map((m) => [cursors, m, cursors[m]!] as const),
  ];
  for (const [proto, m, real] of saved) {
    proto[m] = function (this: IDBObjectStore | IDBCursor, ...args: unknown[]) {
      injected++;
      if (mode === 'quota') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      const request = real.apply(this, args);
      const store = this instanceof IDBCursor ? (this.source as IDBObjectStore | IDBIndex) : this;
      ('objectStore' in store ? store.objectStore : store).transaction.abort();
      return request;
    };
  }
  return () => saved.forEach(([proto, m, real]) => (proto[m] = real));
}

/** Makes every IndexedDB read of a record fail until restored. */
function failReads(): () => void {
  const proto = IDBObjectStore.prototype as unknown as Record<string, unknown>;
  const real = proto.get;
  proto.get = () => {
    injected++;
    throw new DOMException('The database file is unreadable.', 'UnknownError');
  };
  return () => (proto.get = real);
}

/** Everything stored, comparable: every store's records with keys reduced to their public half. */
async function snapshot(deps: TestDeps): Promise<unknown> {
  await (deps as { audit?: { flush(): Promise<void> } }).audit?.flush();
  const out: Record<string, unknown> = {};
  for (const store of [...deps.db.objectStoreNames].sort()) {
    const records = (await deps.db.getAll(store)) as Record<string, unknown>[];
    out[store] = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof CryptoKey ? `key:${v.type}` : v])));
  }
  return out;
}

function serve(deps: TestDeps): FakeWorkerPort {
  const port = new FakeWorkerPort();
  servePagePort(port, ORIGIN_A, Promise.resolve(deps));
  return port;
}

async function one(port: FakeWorkerPort, request: unknown): Promise<PageResponse> {
  const before = port.posted.length;
  port.send({ requests: [request] });
  await port.waitFor(before + 1);
  return port.posted[before]!.responses[0]!;
}

const signReq = (id: string, sessionId: string) => ({
  id,
  method: 'keyhold_signRequest',
  params: [{ sessionId, requestType: 1, body: toB64(Uint8Array.of(1, 2, 3)) }],
});

function assertInternal(r: PageResponse | { ok: false; error: { code: number; message: string } } | { ok: true }, what: string) {
  assert.ok('error' in r, `${what}: expected -32603, got ${JSON.stringify(r)}`);
  assert.equal(r.error.code, -32603, what);
  assert.equal(r.error.message, 'Keyhold hit an internal error.', `${what}: no internal detail leaks`);
}

async function pendingCreate(deps: TestDeps, port: FakeWorkerPort, id: string) {
  port.send({ requests: [{ id, method: 'keyhold_createSession', params: [{ ttlSeconds: 600, label: id }] }] });
  await until(async () => (await deps.approvals.pending()).some((a) => a.dedupeKey.endsWith(` ${id}`)), `approval for ${id}`);
  return (await deps.approvals.pending()).find((a) => a.dedupeKey.endsWith(` ${id}`))!;
}

const decide = (deps: TestDeps, approvalId: string, approve: boolean) =>
  answerRpc(deps, { channel: RPC_CHANNEL, method: 'approval_decide', params: { approvalId, approve } });

for (const mode of ['quota', 'abort'] as const) {
  describe(`IndexedDB writes fail (${mode === 'quota' ? 'QuotaExceededError' : 'transaction aborted'})`, () => {
    test('approving: a clear error to the approval window, no session, the approval still pending, the page not answered "approved"', async () => {
      const deps = await makeDeps();
      const port = serve(deps);
      const approval = await pendingCreate(deps, port, 'c1');
      const before = await snapshot(deps);
      const restore = failWrites(mode);
      let outcome;
      try {
        outcome = await decide(deps, approval.id, true);
      } finally {
        restore();
      }
      assertInternal(outcome, 'approval_decide');
      assert.deepEqual(await snapshot(deps), before, 'nothing written by half');
      assert.equal(await deps.db.count('sessions'), 0);
      assert.equal((await deps.approvals.get(approval.id))?.status, 'pending', 'not left approved without a session');
      assert.deepEqual(await deps.sessions.listAll(T0), []);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(port.posted.length, 0, 'the page is not answered yet: the user still decides');
      // The user gives up (closes the window): the page hears 4001 at once.
      await deps.approvals.rejectAll();
      await port.waitFor(1);
      const r = port.posted[0]!.responses[0]!;
      assert.ok('error' in r && r.error.code === 4001, JSON.stringify(r));
      assert.equal(await deps.db.count('sessions'), 0);
    });

    test('once storage recovers, approving again makes exactly one session and the page gets it', async () => {
      const deps = await makeDeps();
      const port = serve(deps);
      const approval = await pendingCreate(deps, port, 'c1');
      const restore = failWrites(mode);
      try {
        assertInternal(await decide(deps, approval.id, true), 'approval_decide while failing');
      } finally {
        restore();
      }
      assert.deepEqual(await decide(deps, approval.id, true), { ok: true, result: { ok: true } });
      await port.waitFor(1);
      const r = port.posted[0]!.responses[0]!;
      assert.ok('result' in r, JSON.stringify(r));
      const info = r.result as SessionInfo;
      assert.equal(await deps.db.count('sessions'), 1);
      const env = (await one(port, signReq('s', info.id))) as { result: JsonEnvelope };
      assert.ok(verifyEd25519(b64(info.publicKey), b64(env.result.payload), b64(env.result.signature)));
    });

    test('revoking: -32603, the session unchanged and still signing with its key; after recovery the revoke holds', async () => {
      const deps = await makeDeps();
      const rec = await makeSessionRecord();
      await deps.sessions.add(rec);
      const port = serve(deps);
      const before = await snapshot(deps);
      const restore = failWrites(mode);
      let revoke;
      try {
        revoke = await one(port, { id: 'r1', method: 'keyhold_revokeSession', params: [{ sessionId: rec.id }] });
      } finally {
        restore();
      }
      assertInternal(revoke, 'revoke while writes fail');
      assert.deepEqual(await snapshot(deps), before, 'nothing deleted by half');
      const env = (await one(port, signReq('s1', rec.id))) as { result: JsonEnvelope };
      assert.ok(env.result, `still signs: ${JSON.stringify(env)}`);
      assert.ok(verifyEd25519(rec.publicKey, b64(env.result.payload), b64(env.result.signature)));
      assert.deepEqual((await one(port, { id: 'r2', method: 'keyhold_revokeSession', params: [{ sessionId: rec.id }] })), { id: 'r2', result: { revoked: true } });
      const after = await one(port, signReq('s2', rec.id));
      assert.ok('error' in after && after.error.code === 4100);
    });

    test('purging expired sessions is all or nothing', async () => {
      const deps = await makeDeps();
      const records = await Promise.all([1, 2, 3].map((i) => makeSessionRecord({ createdAt: T0 + i, validUntil: T0 + 10 + i })));
      for (const r of records) await deps.sessions.add(r);
      const before = await snapshot(deps);
      const restore = failWrites(mode);
      try {
        await assert.rejects(deps.sessions.purgeExpired(T0 + 1_000));
      } finally {
        restore();
      }
      assert.deepEqual(await snapshot(deps), before);
      assert.equal(await deps.sessions.purgeExpired(T0 + 1_000), 3);
      assert.equal(await deps.db.count('sessions'), 0);
    });
  });
}

describe('other storage failures', () => {
  test('a failed read on a cold cache: -32603 to the page, nothing changes, the next request signs', async () => {
    const dbName = uniqueDbName('cold');
    const warm = await makeDeps({ dbName });
    const rec = await makeSessionRecord();
    await warm.sessions.add(rec);
    const deps = await makeDeps({ dbName }); // a restarted worker: empty cache
    const port = serve(deps);
    const before = await snapshot(deps);
    const restore = failReads();
    let r;
    try {
      r = await one(port, signReq('s1', rec.id));
    } finally {
      restore();
    }
    assertInternal(r, 'sign with an unreadable store');
    assert.deepEqual(await snapshot(deps), before);
    const ok = (await one(port, signReq('s2', rec.id))) as { result: JsonEnvelope };
    assert.ok(verifyEd25519(rec.publicKey, b64(ok.result.payload), b64(ok.result.signature)));
  });

  test('storage.session out of quota when queuing an approval: -32603 at once, nothing queued, no window; then it queues', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const realSet = deps.area.set.bind(deps.area);
    deps.area.set = async () => {
      injected++;
      throw new DOMException('Session storage quota bytes exceeded.', 'QuotaExceededError');
    };
    const r = await one(port, { id: 'c1', method: 'keyhold_createSession', params: [{ ttlSeconds: 600 }] });
    assertInternal(r, 'createSession with storage.session full');
    assert.deepEqual(await deps.approvals.pending(), []);
    assert.equal(deps.showCalls, 0, 'no approval window for a request that was not queued');
    deps.area.set = realSet;
    await pendingCreate(deps, port, 'c2');
    assert.equal((await deps.approvals.pending()).length, 1);
    assert.equal(deps.showCalls, 1);
  });

  test('storage.session failing while a decision is recorded: the new session does not outlive it', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const approval = await pendingCreate(deps, port, 'c1');
    const realSet = deps.area.set.bind(deps.area);
    deps.area.set = async () => {
      injected++;
      throw new DOMException('Session storage quota bytes exceeded.', 'QuotaExceededError');
    };
    await assert.rejects(decideApproval(deps, approval.id, true));
    deps.area.set = realSet;
    assert.equal((await deps.approvals.get(approval.id))?.status, 'pending');
    assert.equal(await deps.db.count('sessions'), 0, 'the key made for the failed approval is deleted');
  });
});
