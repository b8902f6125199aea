/**
 * The approval queue over an in-memory `storage.session`: dedupe of replayed requests, limits
 * that change nothing when hit, waking waiters, expiry of decided records, the write lock, and
 * survival across a worker restart.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApprovalQueue, DEFAULT_LIMITS, type ApprovalRecord, type QueueLimits } from '../../background/approvals/queue.js';
import type { CreateSessionParams } from '../../src/protocol/page-api.js';
import { ProviderRpcError } from '../../src/protocol/errors.js';
import { MemoryArea, ORIGIN_A, ORIGIN_B, T0 } from './fakes.js';

const PARAMS: CreateSessionParams = { ttlSeconds: 60, role: 'TRADING_ONLY', subaccountIndex: null, requestTypes: null, label: null };
const LIMITS: QueueLimits = { perOrigin: 2, perSite: 3, total: 3, keepDecidedMs: 1_000 };

function setup(limits = LIMITS) {
  const area = new MemoryArea();
  const clock = { now: T0 };
  const queue = new ApprovalQueue(area, limits, () => clock.now);
  return { area, clock, queue };
}

const input = (origin: string, reqId: string) => ({ origin, dedupeKey: `${origin} ${reqId}`, kind: 'createSession' as const, params: PARAMS });

async function rejectsWith(p: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof ProviderRpcError && e.code === code);
}

/** Resolves to 'pending' if `p` has not settled after the queue had time to work. */
const stateOf = async <T>(p: Promise<T>): Promise<T | 'pending'> =>
  Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), 20))]);

describe('ApprovalQueue', () => {
  test('enqueue creates a pending record and stores it', async () => {
    const { queue, area } = setup();
    const { record, created } = await queue.enqueue(input(ORIGIN_A, '1'));
    assert.equal(created, true);
    assert.equal(record.status, 'pending');
    assert.equal(record.origin, ORIGIN_A);
    assert.equal(record.createdAt, T0);
    assert.deepEqual(record.params, PARAMS);
    assert.match(record.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual((await queue.pending()).map((a) => a.id), [record.id]);
    assert.deepEqual((area.map.get('approvals') as ApprovalRecord[]).map((a) => a.id), [record.id]);
  });

  test('the same dedupeKey returns the same record with created=false', async () => {
    const { queue } = setup();
    const first = await queue.enqueue(input(ORIGIN_A, '1'));
    const again = await queue.enqueue({ ...input(ORIGIN_A, '1'), params: { ...PARAMS, ttlSeconds: 999 } });
    assert.equal(again.created, false);
    assert.deepEqual(again.record, first.record);
    assert.equal((await queue.pending()).length, 1);
  });

  test('the same page request id from another origin is another approval', async () => {
    const { queue } = setup();
    const a = await queue.enqueue(input(ORIGIN_A, '1'));
    const b = await queue.enqueue(input(ORIGIN_B, '1'));
    assert.equal(b.created, true);
    assert.notEqual(a.record.id, b.record.id);
  });

  test('a replay of a decided request finds the decision, not a new approval', async () => {
    const { queue } = setup();
    const { record } = await queue.enqueue(input(ORIGIN_A, '1'));
    await queue.settle(record.id, { status: 'approved', result: { sessionId: 's' } });
    const again = await queue.enqueue(input(ORIGIN_A, '1'));
    assert.equal(again.created, false);
    assert.equal(again.record.status, 'approved');
    assert.equal((again.record.result as { sessionId: string }).sessionId, 's');
  });

  test('per-origin limit: -32005 and nothing changes', async () => {
    const { queue, area } = setup();
    await queue.enqueue(input(ORIGIN_A, '1'));
    await queue.enqueue(input(ORIGIN_A, '2'));
    const before = area.snapshot();
    await rejectsWith(queue.enqueue(input(ORIGIN_A, '3')), -32005);
    assert.deepEqual(area.snapshot(), before);
    // Another origin is not held back by A's limit.
    assert.equal((await queue.enqueue(input(ORIGIN_B, '1'))).created, true);
  });

  test('total limit: -32005 and nothing changes', async () => {
    const { queue, area } = setup({ ...LIMITS, perOrigin: 10 });
    for (const o of ['https://1.example', 'https://2.example', 'https://3.example']) await queue.enqueue(input(o, '1'));
    const before = area.snapshot();
    await rejectsWith(queue.enqueue(input('https://4.example', '1')), -32005);
    assert.deepEqual(area.snapshot(), before);
    assert.equal((await queue.pending()).length, 3);
  });

  test('per-site limit (attack 7): 7 subdomains of one registrable domain cannot fill the queue; another site still gets its approval', async () => {
    const { queue, area } = setup(DEFAULT_LIMITS);
    const outcomes: string[] = [];
    for (let s = 1; s <= 7; s++) {
      for (let r = 1; r <= DEFAULT_LIMITS.perOrigin; r++) {
        outcomes.push(await queue.enqueue(input(`https://s${s}.evil.example`, String(r))).then(() => 'queued', (e: ProviderRpcError) => String(e.code)));
      }
    }
    assert.equal(outcomes.filter((o) => o === 'queued').length, DEFAULT_LIMITS.perSite, 'the domain gets perSite approvals in all');
    assert.ok(outcomes.every((o) => o === 'queued' || o === '-32005'));
    assert.ok(DEFAULT_LIMITS.perSite < DEFAULT_LIMITS.total, 'one domain alone can never fill the queue');
    // Nothing was written for the refused ones.
    assert.equal((area.map.get('approvals') as ApprovalRecord[]).length, DEFAULT_LIMITS.perSite);
    // Another site, and a port or scheme variant of the same domain, are counted as they should be.
    assert.equal((await queue.enqueue(input('https://exchange.example', '1'))).created, true);
    await rejectsWith(queue.enqueue(input('http://s8.EVIL.example:8080', '1')), -32005);
  });

  test('per-site limit follows the Public Suffix List: alice.github.io and bob.github.io are different sites', async () => {
    const { queue } = setup({ perOrigin: 1, perSite: 1, total: 10, keepDecidedMs: 1_000 });
    assert.equal((await queue.enqueue(input('https://alice.github.io', '1'))).created, true);
    assert.equal((await queue.enqueue(input('https://bob.github.io', '1'))).created, true);
    await rejectsWith(queue.enqueue(input('https://www.alice.github.io', '1')), -32005);
    assert.equal((await queue.enqueue(input('https://a.co.uk', '1'))).created, true);
    assert.equal((await queue.enqueue(input('https://b.co.uk', '1'))).created, true);
    // Loopback hosts are each their own site.
    assert.equal((await queue.enqueue(input('http://127.0.0.1:3000', '1'))).created, true);
    assert.equal((await queue.enqueue(input('http://localhost:3000', '1'))).created, true);
  });

  test('decided approvals do not count toward the limits', async () => {
    const { queue } = setup();
    const a = await queue.enqueue(input(ORIGIN_A, '1'));
    await queue.enqueue(input(ORIGIN_A, '2'));
    await queue.settle(a.record.id, { status: 'rejected' });
    assert.equal((await queue.enqueue(input(ORIGIN_A, '3'))).created, true);
  });

  test('settle approved wakes wait with the session id', async () => {
    const { queue } = setup();
    const { record } = await queue.enqueue(input(ORIGIN_A, '1'));
    const waiting = queue.wait(record);
    assert.equal(await stateOf(waiting), 'pending');
    const settled = await queue.settle(record.id, { status: 'approved', result: { sessionId: 'sid' } });
    assert.equal(settled.decidedAt, T0);
    const decided = await waiting;
    assert.equal(decided.status, 'approved');
    assert.deepEqual(decided.result, { sessionId: 'sid' });
    assert.deepEqual(await queue.pending(), []);
  });

  test('settle rejected wakes every waiter', async () => {
    const { queue } = setup();
    const { record } = await queue.enqueue(input(ORIGIN_A, '1'));
    const w1 = queue.wait(record);
    const w2 = queue.wait(record);
    await stateOf(w1);
    await queue.settle(record.id, { status: 'rejected' });
    assert.equal((await w1).status, 'rejected');
    assert.equal((await w2).status, 'rejected');
  });

  test('wait on an already decided record resolves at once', async () => {
    const { queue } = setup();
    const { record } = await queue.enqueue(input(ORIGIN_A, '1'));
    await queue.settle(record.id, { status: 'approved', result: { sessionId: 'sid' } });
    const decided = await stateOf(queue.wait(record));
    assert.notEqual(decided, 'pending');
    assert.deepEqual((decided as ApprovalRecord).result, { sessionId: 'sid' });
  });

  test('settle on a non-pending or unknown id: -32602 and nothing changes', async () => {
    const { queue, area } = setup();
    const { record } = await queue.enqueue(input(ORIGIN_A, '1'));
    await queue.settle(record.id, { status: 'rejected' });
    const before = area.snapshot();
    await rejectsWith(queue.settle(record.id, { status: 'approved', result: { sessionId: 'late' } }), -32602);
    await rejectsWith(queue.settle('no-such-id', { status: 'rejected' }), -32602);
    assert.deepEqual(area.snapshot(), before);
    assert.equal((await queue.get(record.id))?.status, 'rejected');
  });

  test('rejectAll rejects only the pending ones and wakes them', async () => {
    const { queue, clock } = setup({ ...LIMITS, perOrigin: 5, total: 5 });
    const approved = await queue.enqueue(input(ORIGIN_A, '1'));
    await queue.settle(approved.record.id, { status: 'approved', result: { sessionId: 'sid' } });
    const p1 = await queue.enqueue(input(ORIGIN_A, '2'));
    const p2 = await queue.enqueue(input(ORIGIN_B, '3'));
    const w = queue.wait(p2.record);
    clock.now = T0 + 5;
    await queue.rejectAll();
    assert.equal((await w).status, 'rejected');
    assert.deepEqual(await queue.pending(), []);
    const a = await queue.get(approved.record.id);
    assert.equal(a?.status, 'approved');
    assert.equal(a?.decidedAt, T0, 'an approved record keeps its decision time');
    assert.equal((await queue.get(p1.record.id))?.status, 'rejected');
    assert.equal((await queue.get(p1.record.id))?.decidedAt, T0 + 5);
  });

  test('decided records are dropped after keepDecidedMs; pending ones never', async () => {
    const { queue, clock, area } = setup();
    const decided = await queue.enqueue(input(ORIGIN_A, '1'));
    const pending = await queue.enqueue(input(ORIGIN_B, '2'));
    await queue.settle(decided.record.id, { status: 'rejected' });
    clock.now = T0 + LIMITS.keepDecidedMs - 1;
    assert.ok(await queue.get(decided.record.id), 'kept within keepDecidedMs');
    clock.now = T0 + LIMITS.keepDecidedMs;
    assert.equal(await queue.get(decided.record.id), undefined);
    assert.ok(await queue.get(pending.record.id));
    // The next write persists the drop.
    await queue.enqueue(input(ORIGIN_B, '3'));
    const stored = (area.map.get('approvals') as ApprovalRecord[]).map((a) => a.id);
    assert.ok(!stored.includes(decided.record.id));
    assert.ok(stored.includes(pending.record.id));
  });

  test('concurrent enqueues from different origins all persist (the lock works)', async () => {
    const { queue, area } = setup({ ...LIMITS, total: 10 });
    const origins = ['https://1.example', 'https://2.example', 'https://3.example'];
    const out = await Promise.all(origins.map((o) => queue.enqueue(input(o, '1'))));
    assert.ok(out.every((o) => o.created));
    const stored = area.map.get('approvals') as ApprovalRecord[];
    assert.deepEqual(stored.map((a) => a.origin).sort(), origins);
    assert.deepEqual(new Set(stored.map((a) => a.id)).size, 3);
  });

  test('concurrent enqueues of the same request make one approval', async () => {
    const { queue } = setup();
    const out = await Promise.all([1, 2, 3].map(() => queue.enqueue(input(ORIGIN_A, 'same'))));
    assert.deepEqual(out.map((o) => o.created), [true, false, false]);
    assert.equal(new Set(out.map((o) => o.record.id)).size, 1);
  });

  test('a failed update does not jam the lock', async () => {
    const { queue } = setup();
    await queue.enqueue(input(ORIGIN_A, '1'));
    await queue.enqueue(input(ORIGIN_A, '2'));
    const results = await Promise.allSettled([queue.enqueue(input(ORIGIN_A, '3')), queue.enqueue(input(ORIGIN_B, '1'))]);
    assert.equal(results[0].status, 'rejected');
    assert.equal(results[1].status, 'fulfilled');
  });

  test('a second queue over the same area (a restarted worker) sees the pending approvals', async () => {
    const { queue, area, clock } = setup();
    const { record } = await queue.enqueue(input(ORIGIN_A, '1'));
    const restarted = new ApprovalQueue(area, LIMITS, () => clock.now);
    assert.deepEqual((await restarted.pending()).map((a) => a.id), [record.id]);
    const replay = await restarted.enqueue(input(ORIGIN_A, '1'));
    assert.equal(replay.created, false);
    assert.equal(replay.record.id, record.id);
    const w = restarted.wait(replay.record);
    await restarted.settle(record.id, { status: 'approved', result: { sessionId: 'sid' } });
    assert.deepEqual((await w).result, { sessionId: 'sid' });
  });

  test('garbage in storage reads as an empty queue', async () => {
    const { queue, area } = setup();
    area.map.set('approvals', 'not an array');
    assert.deepEqual(await queue.pending(), []);
    assert.equal((await queue.enqueue(input(ORIGIN_A, '1'))).created, true);
  });
});

describe('stored approvals are checked where they are read back', () => {
  test('a damaged record (missing field, unknown kind or status, not an object) is dropped, the sound ones kept', async () => {
    const { queue, area } = setup();
    const { record: good } = await queue.enqueue(input(ORIGIN_A, '1'));
    const stored = (await area.get('approvals'))['approvals'] as unknown[];
    const { id: _id, ...noId } = good;
    const damaged: unknown[] = [
      null, 'approval', 42, [],
      noId,
      { ...good, id: 'x2', kind: 'stealKeys' },
      { ...good, id: 'x3', status: 'maybe' },
      { ...good, id: 'x4', params: null },
      { ...good, id: 'x5', origin: 7 },
      { ...good, id: 'x6', decidedAt: 'yesterday' },
    ];
    await area.set({ approvals: [...stored, ...damaged] });
    assert.deepEqual((await queue.pending()).map((a) => a.id), [good.id]);
    assert.equal(await queue.get('x2'), undefined);
    // The next write keeps only what was sound.
    await queue.enqueue(input(ORIGIN_B, '2'));
    assert.equal(((await area.get('approvals'))['approvals'] as unknown[]).length, 2);
  });
});
