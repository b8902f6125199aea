/**
 * The activity log (background/audit/) and the popup's bulk revocations: what is logged for a
 * signature, the bound, and revoking a site or everything.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ENTRIES } from '../../background/audit/log.js';
import { answerRpc } from '../../background/router/extension-rpc.js';
import { servePagePort } from '../../background/router/page-port.js';
import type { PageResponse } from '../../src/protocol/envelope.js';
import type { ActivityView } from '../../src/protocol/extension-rpc.js';
import type { JsonEnvelope } from '../../src/protocol/page-api.js';
import { decodePayload } from '../../src/wire/payload.js';
import { uuidToString } from '../../src/wire/uuidv7.js';
import { FakeWorkerPort, ORIGIN_A, ORIGIN_B, b64, makeDeps, makeSessionRecord, until, type TestDeps } from './fakes.js';

async function rpc<T>(deps: TestDeps, method: string, params: unknown): Promise<T> {
  const answer = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method, params });
  assert.ok(answer.ok, JSON.stringify(answer));
  return answer.result as T;
}

async function sign(deps: TestDeps, origin: string, sessionId: string, n: number, body = 'c2VjcmV0IGJvZHk='): Promise<PageResponse[]> {
  const port = new FakeWorkerPort();
  servePagePort(port, origin, Promise.resolve(deps));
  port.send({ requests: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, method: 'keyhold_signRequest', params: [{ sessionId, requestType: 7, body }] })) });
  await until(() => port.posted.flatMap((m) => m.responses).length === n, 'answers');
  return port.posted.flatMap((m) => m.responses);
}

describe('the activity log', () => {
  test('logs each signature with its origin, session, request type and the request id it signed; never the body', async () => {
    const deps = await makeDeps();
    const record = await makeSessionRecord({ origin: ORIGIN_A });
    await deps.sessions.add(record);
    const [r] = await sign(deps, ORIGIN_A, record.id, 1);
    const signedId = uuidToString(decodePayload(b64(((r as { result: JsonEnvelope }).result).payload)).requestId);
    const [entry, ...rest] = await rpc<ActivityView[]>(deps, 'activity_list', {});
    assert.equal(rest.length, 0);
    assert.deepEqual({ ...entry, at: 0 }, { at: 0, origin: ORIGIN_A, kind: 'sign', sessionId: record.id, requestType: 7, requestId: signedId });
    assert.ok(!JSON.stringify(entry).includes('c2VjcmV0'), 'no body in the log');
  });

  test(`keeps only the newest ${MAX_ENTRIES}, newest first`, async () => {
    const deps = await makeDeps();
    const record = await makeSessionRecord({ origin: ORIGIN_A });
    await deps.sessions.add(record);
    await sign(deps, ORIGIN_A, record.id, MAX_ENTRIES + 40);
    await deps.audit.flush();
    const latest = await sign(deps, ORIGIN_A, record.id, 10);
    const log = await rpc<ActivityView[]>(deps, 'activity_list', {});
    assert.equal(log.length, MAX_ENTRIES);
    assert.equal(await deps.db.count('audit'), MAX_ENTRIES);
    const latestIds = latest.map((r) => uuidToString(decodePayload(b64((r as { result: JsonEnvelope }).result.payload)).requestId));
    assert.deepEqual(new Set(log.slice(0, 10).map((e) => e.requestId)), new Set(latestIds), 'the newest signatures come first');
    assert.equal((await rpc<ActivityView[]>(deps, 'activity_list', { limit: 3 })).length, 3);
  });

  test(`a burst longer than twice ${MAX_ENTRIES} between flushes keeps exactly the newest ${MAX_ENTRIES}, in order`, async () => {
    const deps = await makeDeps();
    const n = 2 * MAX_ENTRIES + 234; // crosses the buffer's trim once, then buffers past the bound again
    for (let i = 0; i < n; i++) deps.audit.record({ at: i, origin: ORIGIN_A, kind: 'sign', sessionId: 'burst', requestType: 1 });
    const log = await deps.audit.list();
    assert.equal(log.length, MAX_ENTRIES);
    assert.equal(await deps.db.count('audit'), MAX_ENTRIES);
    assert.deepEqual(log.map((e) => e.at), Array.from({ length: MAX_ENTRIES }, (_, i) => n - 1 - i));
  });

  test('a bad limit is refused', async () => {
    const deps = await makeDeps();
    for (const limit of [0, -1, 1.5, 'x', MAX_ENTRIES + 1]) {
      const answer = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method: 'activity_list', params: { limit } });
      assert.equal(answer.ok, false);
      assert.equal(!answer.ok && answer.error.code, -32602);
    }
  });
});

describe('revoking a site, or everything', () => {
  test('session_revokeSite revokes that site\'s sessions only; session_revokeAll the rest', async () => {
    const deps = await makeDeps();
    const a1 = await makeSessionRecord({ origin: ORIGIN_A });
    const a2 = await makeSessionRecord({ origin: ORIGIN_A });
    const b1 = await makeSessionRecord({ origin: ORIGIN_B });
    for (const r of [a1, a2, b1]) await deps.sessions.add(r);
    assert.deepEqual(await rpc(deps, 'session_revokeSite', { origin: ORIGIN_A }), { revoked: 2, pending: 0 });
    assert.deepEqual((await deps.db.getAll('sessions')).map((s) => s.id), [b1.id]);
    const denied = await sign(deps, ORIGIN_A, a1.id, 1);
    assert.equal((denied[0] as { error: { code: number } }).error.code, 4100);
    assert.deepEqual(await rpc(deps, 'session_revokeAll', {}), { revoked: 1, pending: 0 });
    assert.equal(await deps.db.count('sessions'), 0);
    const log = await rpc<ActivityView[]>(deps, 'activity_list', {});
    assert.equal(log.filter((e) => e.kind === 'session-revoked').length, 3);
  });

  test('session_revokeSite validates its origin', async () => {
    const deps = await makeDeps();
    const answer = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method: 'session_revokeSite', params: { origin: 5 } });
    assert.equal(!answer.ok && answer.error.code, -32602);
  });
});
