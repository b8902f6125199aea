/**
 * Policies in the one gate: each rule refuses with 4100 and `data.policy` naming it, in the
 * fixed order; only signatures made count; counts and pauses survive a worker restart (a new
 * enforcer over the same database); confirmTypes wait for the user; every refusal is logged.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { admitSessionUse } from '../../background/sessions/gate.js';
import { signRequest } from '../../background/methods/sign-request.js';
import { send } from '../../background/methods/send.js';
import { PolicyEnforcer } from '../../background/policy/enforcer.js';
import { PolicyStates } from '../../background/policy/state-store.js';
import { AUTO_PAUSE_HITS, RESERVE_MS } from '../../background/policy/session-policy.js';
import { pauseSession, resumeSession } from '../../background/policy/pause.js';
import { decideApproval } from '../../background/approvals/decide.js';
import { createSession } from '../../background/methods/create-session.js';
import { listSessions } from '../../background/methods/list-sessions.js';
import { extensionHandlers } from '../../background/router/extension-rpc.js';
import { ProviderRpcError } from '../../src/protocol/errors.js';
import type { SessionPolicy } from '../../src/protocol/policy.js';
import { parseCreateSession } from '../../src/protocol/page-params.js';
import { FakeWorkerPort, ORIGIN_A, T0, makeDeps, makeSessionRecord, type TestDeps } from './fakes.js';
import { servePagePort } from '../../background/router/page-port.js';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const ctx = { origin: ORIGIN_A, requestId: 'r' };
const BASE = 'https://service.example';

async function policyRefused(p: Promise<unknown>, rule: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ProviderRpcError, `expected ProviderRpcError, got ${String(err)}`);
    assert.equal(err.code, 4100, err.message);
    assert.deepEqual(err.data, { policy: rule });
    assert.match(err.message, new RegExp(rule === 'paused' ? 'paused' : `\\(${rule}\\)`));
    return true;
  });
}

async function withPolicy(deps: TestDeps, policy: SessionPolicy, over: Parameters<typeof makeSessionRecord>[0] = {}) {
  return (await deps.sessions.add(await makeSessionRecord({ requestTypes: [1, 2], policy, ...over }))).record;
}

const sign = (deps: TestDeps, sessionId: string, body: unknown = {}, requestType = 1) =>
  signRequest(deps, { sessionId, requestType, body: enc(body), encoding: 'json' }, ctx);

/** A worker restart: the same database, nothing in memory. */
function restart(deps: TestDeps): void {
  deps.policies = new PolicyEnforcer(new PolicyStates(deps.db), () => deps.clock.now);
  deps.sessions = new (deps.sessions.constructor as new (db: TestDeps['db']) => TestDeps['sessions'])(deps.db);
}

describe('rate limits: sliding windows', () => {
  test('maxPerMinute: the 6th in a minute is refused; one more once the oldest is 60 s old', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { maxPerMinute: 5 });
    for (let i = 0; i < 5; i++) {
      deps.clock.now = T0 + i * 1000;
      await sign(deps, s.id);
    }
    deps.clock.now = T0 + 59_999;
    await policyRefused(sign(deps, s.id), 'maxPerMinute');
    deps.clock.now = T0 + 60_000;
    await sign(deps, s.id);
    await policyRefused(sign(deps, s.id), 'maxPerMinute');
  });

  test('maxPerHour counts over the hour; refused attempts do not count', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { maxPerHour: 3, rules: { 1: { type: 'object', properties: { qty: { maximum: 10 } } } } }, { validUntil: T0 + 7_200_000 });
    await sign(deps, s.id, { qty: 1 });
    for (let i = 0; i < 5; i++) await policyRefused(sign(deps, s.id, { qty: 11 }), 'rules');
    deps.clock.now = T0 + 30 * 60_000;
    await sign(deps, s.id, { qty: 1 });
    await sign(deps, s.id, { qty: 1 });
    await policyRefused(sign(deps, s.id, { qty: 1 }), 'maxPerHour');
    deps.clock.now = T0 + 3_600_000;
    await sign(deps, s.id, { qty: 1 });
  });

  test('a signature that fails after admission is taken back', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { maxPerMinute: 1 }, { service: { baseUrl: BASE, master: 'secp256k1', status: 'active', loginPayload: null, deviceKey: new Uint8Array(32) } });
    // keyhold_send with a path off the service: refused after the gate, nothing signed.
    await assert.rejects(send(deps, { sessionId: s.id, path: '/x', requestType: 1, body: enc({}) }, ctx).then(() => send(deps, { sessionId: s.id, path: '/api/v1/orders', requestType: 1, body: enc({}) }, ctx)));
    assert.equal(deps.fakeHttp.calls.length, 1);
  });
});

describe('rules and caps', () => {
  const policy: SessionPolicy = {
    rules: { 1: { type: 'object', properties: { side: { enum: ['buy', 'sell'] }, qty: { type: 'number', maximum: 10 } }, required: ['side', 'qty'] } },
    caps: [{ requestType: 1, pointer: '/qty', max: 25 }],
  };
  test('rules: the body must validate, be JSON, and have no duplicate key', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, policy);
    await sign(deps, s.id, { side: 'buy', qty: 10 });
    await policyRefused(sign(deps, s.id, { side: 'buy', qty: 11 }), 'rules');
    await policyRefused(sign(deps, s.id, { side: 'steal', qty: 1 }), 'rules');
    await policyRefused(sign(deps, s.id, 'not json'), 'rules');
    await policyRefused(sign(deps, s.id, '{"side":"buy","qty":1,"qty":1000}'), 'rules');
    await policyRefused(sign(deps, s.id, '{"side":"buy","qty":1,"x":{"a":1,"a":2}}'), 'rules');
    // Type 2 has no rule: any body.
    await sign(deps, s.id, 'anything', 2);
  });

  test('caps: a running sum up to max; missing, non-numeric, negative fields refused; a cap alone still needs JSON', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { caps: [{ requestType: 1, pointer: '/qty', max: 25 }] });
    await sign(deps, s.id, { qty: 10 });
    await sign(deps, s.id, { qty: 10 });
    await policyRefused(sign(deps, s.id, { qty: 6 }), 'caps');
    await policyRefused(sign(deps, s.id, {}), 'caps');
    await policyRefused(sign(deps, s.id, { qty: '5' }), 'caps');
    await policyRefused(sign(deps, s.id, { qty: -100 }), 'caps');
    await policyRefused(sign(deps, s.id, '{"qty":1,"qty":1}'), 'rules');
    await sign(deps, s.id, { qty: 5 });
    await policyRefused(sign(deps, s.id, { qty: 0.0001 }), 'caps');
    await sign(deps, s.id, { qty: 0 });
  });

  test('concurrent signatures cannot both take the last of a cap', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { caps: [{ requestType: 1, pointer: '/qty', max: 10 }] });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => sign(deps, s.id, { qty: 1 })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
  });

  test('order: paused, maxPerMinute, maxPerHour, rules, caps', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { ...policy, maxPerMinute: 2, maxPerHour: 2, caps: [{ requestType: 1, pointer: '/qty', max: 1 }] });
    await sign(deps, s.id, { side: 'buy', qty: 1 });
    // Fails rules and caps: rules is named.
    await policyRefused(sign(deps, s.id, { side: 'buy', qty: 11 }), 'rules');
    await policyRefused(sign(deps, s.id, { side: 'buy', qty: 1 }), 'caps');
    await sign(deps, s.id, { side: 'buy', qty: 0 });
    // Now both rate limits are reached too: maxPerMinute is named before maxPerHour, rules, caps.
    await policyRefused(sign(deps, s.id, { side: 'buy', qty: 11 }), 'maxPerMinute');
    deps.clock.now = T0 + 61_000;
    await policyRefused(sign(deps, s.id, { side: 'buy', qty: 11 }), 'maxPerHour');
    await pauseSession(deps, s.id);
    await policyRefused(sign(deps, s.id, { side: 'buy', qty: 11 }), 'paused');
  });
});

describe('counts and pauses survive a worker restart', () => {
  test('after a clean stop (trimmed) and after a kill right after signing, counts are at least the true ones', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { maxPerMinute: 5, caps: [{ requestType: 1, pointer: '/qty', max: 10 }] });
    await sign(deps, s.id, { qty: 4 });
    await sign(deps, s.id, { qty: 4 });
    // Killed at once: the reservation stands for what may have been signed.
    restart(deps);
    // Never fewer than the true 2 in the minute: here the unused reservation counts too (refused early, never late).
    let made = 0;
    for (let i = 0; i < 5; i++) made += await sign(deps, s.id, { qty: 0 }).then(() => 1, () => 0);
    assert.ok(made <= 3, `at most 3 more in the minute after the restart, got ${made}`);
    deps.clock.now = T0 + 61_000;
    await policyRefused(sign(deps, s.id, { qty: 3 }), 'caps');
    // Killed long after: the trim stored exact counts.
    const deps2 = await makeDeps();
    const s2 = await withPolicy(deps2, { maxPerMinute: 5 });
    await sign(deps2, s2.id);
    deps2.clock.now = T0 + RESERVE_MS + 100;
    await new Promise((r) => setTimeout(r, RESERVE_MS + 2_000));
    restart(deps2);
    for (let i = 0; i < 4; i++) await sign(deps2, s2.id);
    await policyRefused(sign(deps2, s2.id), 'maxPerMinute');
  });

  test('a signature whose count is not stored yet is made, but answered only once storage counts it; a failed write answers an error and takes it back', async () => {
    const deps = await makeDeps();
    let open!: () => void;
    let fail = false;
    class GatedStates extends PolicyStates {
      gate: Promise<void> = new Promise((r) => (open = r));
      override async put(record: Parameters<PolicyStates['put']>[0]): Promise<void> {
        await this.gate;
        if (fail) throw new Error('disk full');
        return super.put(record);
      }
    }
    const states = new GatedStates(deps.db);
    deps.policies = new PolicyEnforcer(states, () => deps.clock.now);
    const s = await withPolicy(deps, { maxPerMinute: 2 });
    let answered = false;
    // A fresh session has no stored reservation: its first signature needs a write.
    const first = sign(deps, s.id).then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(answered, false, 'not answered while its count is not stored');
    open();
    await first;
    assert.equal(answered, true);
    assert.ok((await deps.db.get('policyState', s.id))!.marks.length > 0, 'stored before it was answered');

    // A write that fails: the signature is not answered, and it does not count.
    const deps2 = await makeDeps();
    const states2 = new GatedStates(deps2.db);
    states2.gate = Promise.resolve();
    fail = true;
    deps2.policies = new PolicyEnforcer(states2, () => deps2.clock.now);
    const s2 = await withPolicy(deps2, { maxPerMinute: 1 });
    await assert.rejects(sign(deps2, s2.id), /disk full/);
    fail = false;
    await sign(deps2, s2.id);
    await policyRefused(sign(deps2, s2.id), 'maxPerMinute');
  });

  test('pause survives a restart; resume; an unreadable stored state keeps the session paused', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, {});
    await pauseSession(deps, s.id);
    restart(deps);
    await policyRefused(sign(deps, s.id), 'paused');
    await resumeSession(deps, s.id);
    restart(deps);
    await sign(deps, s.id);
    await deps.db.put('policyState', { sessionId: s.id, validUntil: 'x' } as never);
    restart(deps);
    await policyRefused(sign(deps, s.id), 'paused');
  });
});

describe('confirmTypes', () => {
  const waiting = async (deps: TestDeps) => {
    for (let i = 0; i < 100; i++) {
      const p = await deps.approvals.pending();
      if (p.length) return p[0]!;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('no approval queued');
  };
  test('approve signs and counts; reject answers 4001 and counts nothing; the window shows the decoded body', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { confirmTypes: [2], maxPerMinute: 1 }, { descriptor: { source: 'site', descriptor: { name: 'Ex', requestTypes: { 2: { name: 'Withdraw', risk: 'transfer', summary: 'Withdraw {/amount} {/asset}' } } } } });
    const rejected = sign(deps, s.id, { amount: 5, asset: 'USDC' }, 2);
    const a1 = await waiting(deps);
    assert.equal(a1.kind, 'confirmSign');
    if (a1.kind !== 'confirmSign') return;
    assert.equal(a1.params.summary, 'Withdraw 5 USDC');
    assert.equal(a1.params.typeName, 'Withdraw');
    assert.equal(a1.params.describedBy, 'site');
    assert.deepEqual(JSON.parse(a1.params.body.kind === 'json' ? a1.params.body.text : ''), { amount: 5, asset: 'USDC' });
    await decideApproval(deps, a1.id, false);
    await assert.rejects(rejected, (e: ProviderRpcError) => e.code === 4001);
    const approved = sign(deps, s.id, { amount: 5, asset: 'USDC' }, 2);
    await decideApproval(deps, (await waiting(deps)).id, true);
    await approved;
    await policyRefused(sign(deps, s.id, { amount: 1 }, 2), 'maxPerMinute');
  });

  test('a confirm-type signature leaves its batch: the batch answers at once, it answers after the click', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { confirmTypes: [2] });
    const port = new FakeWorkerPort();
    servePagePort(port, ORIGIN_A, Promise.resolve(deps));
    const req = (id: string, requestType: number) => ({ id, method: 'keyhold_signRequest', params: [{ sessionId: s.id, requestType, body: Buffer.from(enc({ amount: 1 })).toString('base64') }] });
    port.send({ requests: [req('n1', 1), req('c', 2), req('n2', 1), req('n3', 1)] });
    await port.waitFor(1);
    assert.deepEqual(port.posted[0]!.responses.map((r) => [r.id, 'result' in r]), [['n1', true], ['n2', true], ['n3', true]], 'the normal ones, in order, before any click');
    const approval = await waiting(deps);
    assert.equal(port.posted.length, 1);
    await decideApproval(deps, approval.id, true);
    await port.waitFor(2);
    assert.deepEqual(port.posted[1]!.responses.map((r) => [r.id, 'result' in r]), [['c', true]]);
    assert.equal(port.posted.length, 2);
  });

  test('a batch of only confirm-type signatures posts nothing until the clicks', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { confirmTypes: [2] });
    const port = new FakeWorkerPort();
    servePagePort(port, ORIGIN_A, Promise.resolve(deps));
    port.send({ requests: [{ id: 'c', method: 'keyhold_signRequest', params: [{ sessionId: s.id, requestType: 2, body: Buffer.from(enc({})).toString('base64') }] }] });
    const approval = await waiting(deps);
    assert.equal(port.posted.length, 0, 'no empty batch message');
    await decideApproval(deps, approval.id, false);
    await port.waitFor(1);
    assert.deepEqual(port.posted.map((m) => m.responses.map((r) => ('error' in r ? r.error.code : 0))), [[4001]]);
  });

  test('pausing refuses the confirmations still waiting, as "paused"', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { confirmTypes: [1] });
    const p = sign(deps, s.id, {}, 1);
    await waiting(deps);
    await pauseSession(deps, s.id);
    await policyRefused(p, 'paused');
  });
});

describe('logged, auto-paused, shown', () => {
  test('every refusal is in the activity log with its rule; repeated hits pause the session by itself', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { maxPerMinute: 1 });
    await sign(deps, s.id);
    for (let i = 0; i < AUTO_PAUSE_HITS; i++) await policyRefused(sign(deps, s.id), 'maxPerMinute');
    await policyRefused(sign(deps, s.id), 'paused');
    const log = await deps.audit.list();
    assert.equal(log.filter((e) => e.kind === 'policy-refused' && e.policy === 'maxPerMinute').length, AUTO_PAUSE_HITS);
    assert.equal(log.filter((e) => e.kind === 'policy-refused' && e.policy === 'paused').length, 1);
    assert.equal(log.filter((e) => e.kind === 'session-paused' && e.by === 'auto').length, 1);
    const views = await extensionHandlers.session_listAll(deps, {});
    assert.deepEqual(views[0]!.paused?.by, 'auto');
    const activity = await extensionHandlers.activity_list(deps, {});
    assert.ok(activity.some((e) => e.kind === 'policy-refused' && e.policy === 'maxPerMinute'));
  });

  test('keyhold_send passes the same policy: refused sends post nothing', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { caps: [{ requestType: 1, pointer: '/qty', max: 1 }] }, { service: { baseUrl: BASE, master: 'secp256k1', status: 'active', loginPayload: null, deviceKey: new Uint8Array(32) } });
    await send(deps, { sessionId: s.id, path: '/api/v1/orders', requestType: 1, body: enc({ qty: 1 }) }, ctx);
    await policyRefused(send(deps, { sessionId: s.id, path: '/api/v1/orders', requestType: 1, body: enc({ qty: 1 }) }, ctx), 'caps');
    await policyRefused(signRequest(deps, { sessionId: s.id, requestType: 1, body: enc({ qty: 1 }), encoding: 'json' }, ctx), 'caps');
    assert.equal(deps.fakeHttp.calls.length, 1);
  });
});

describe('createSession and listSessions carry the policy as granted', () => {
  test('the user tightens in the approval window; SessionInfo and listSessions return the tightened policy; a looser one is refused', async () => {
    const deps = await makeDeps();
    const params = parseCreateSession([{ ttlSeconds: 3600, requestTypes: [1], policy: { maxPerMinute: 5, caps: [{ requestType: 1, pointer: '/qty', max: 25 }] } }]);
    const pending = createSession(deps, params, ctx);
    let approval;
    for (let i = 0; i < 100 && !approval; i++) {
      approval = (await deps.approvals.pending())[0];
      await new Promise((r) => setTimeout(r, 5));
    }
    await assert.rejects(decideApproval(deps, approval!.id, true, { policy: { maxPerMinute: 6, caps: [{ requestType: 1, pointer: '/qty', max: 25 }] } }), /may only be lowered/);
    assert.equal((await deps.sessions.listAll(0)).length, 0, 'nothing made');
    await decideApproval(deps, approval!.id, true, { policy: { maxPerMinute: 2, caps: [{ requestType: 1, pointer: '/qty', max: 10 }] } });
    const info = await pending;
    const granted = { maxPerMinute: 2, caps: [{ requestType: 1, pointer: '/qty', max: 10 }] };
    assert.deepEqual(info.policy, granted);
    assert.deepEqual((await listSessions(deps, null, ctx))[0]!.policy, granted);
    await sign(deps, info.id, { qty: 10 });
    await policyRefused(sign(deps, info.id, { qty: 1 }), 'caps');
  });
});

describe('hostile bodies stay bounded', () => {
  test('a 64 KiB body against the largest allowed rule validates in well under a second', async () => {
    const deps = await makeDeps();
    const branch = (i: number) => ({ type: 'array', items: { type: 'object', properties: { ['k' + i]: { type: 'number' } } } });
    const s = await withPolicy(deps, { rules: { 1: { anyOf: Array.from({ length: 120 }, (_, i) => branch(i)) } } });
    const body = '[' + Array.from({ length: 10000 }, () => '{"x":1}').join(',').slice(0, 65000) + ']';
    const t0 = performance.now();
    await sign(deps, s.id, body.endsWith('}]') ? body : '[' + Array.from({ length: 8000 }, () => '{"x":1}').join(',') + ']').catch(() => undefined);
    const ms = performance.now() - t0;
    assert.ok(ms < 3000, `took ${ms} ms`);
  });
});

describe('stored marks never count fewer than were made', () => {
  test('random signature times: reloaded from their marks, every later window counts at least as many', async () => {
    const { SlidingTimes } = await import('../../background/policy/sliding-window.js');
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const real = new SlidingTimes();
      let t = T0;
      for (let i = 0; i < 500; i++) real.add((t += Math.floor(rand() * 20_000)));
      const now = t;
      const reloaded = new SlidingTimes();
      for (const [at, n] of real.marks(now)) for (let k = 0; k < n; k++) reloaded.add(at);
      assert.ok(real.marks(now).length <= 125, 'a write stays small');
      for (let later = now; later < now + 3_700_000; later += 7_000) {
        assert.ok(reloaded.inLastMinute(later) >= real.inLastMinute(later), `minute at +${later - now}`);
        assert.ok(reloaded.inLastHour(later) >= real.inLastHour(later), `hour at +${later - now}`);
      }
    }
  });
});

describe('stored records are input too', () => {
  test('a session record whose stored policy no longer parses is treated as absent: it signs nothing', async () => {
    const deps = await makeDeps();
    const s = await withPolicy(deps, { maxPerMinute: 5 });
    await deps.db.put('sessions', { ...s, policy: { maxPerMinute: 0 } });
    restart(deps);
    await assert.rejects(sign(deps, s.id), (e: ProviderRpcError) => e.code === 4100 && /Unknown session/.test(e.message));
  });
});
