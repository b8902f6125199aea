/**
 * The worker start's read-ahead (`warmSigningStores`): a few sessions and their policy counts
 * read in one transaction while the waking event is on its way, so a cold start's first
 * signature reads nothing. What must hold: what it read is what a first use gets; it is bounded;
 * a session revoked (or counts forgotten) while the read is in flight is never cached from it;
 * a failed read changes nothing.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openKeyholdDb, type KeyholdDb, type RevocationRecord, type SessionRecord } from '../../background/db.js';
import { SessionStore } from '../../background/sessions/store.js';
import { PolicyEnforcer } from '../../background/policy/enforcer.js';
import { PolicyStates, type PolicyStateRecord } from '../../background/policy/state-store.js';
import { AuditLog } from '../../background/audit/log.js';
import { WARM_SESSIONS, warmSigningStores, type SigningStores } from '../../background/signing-start.js';
import { ReadGuard } from '../../background/platform/read-guard.js';
import { T0, makeSessionRecord, uniqueDbName } from './fakes.js';

async function stores(): Promise<SigningStores> {
  const db = await openKeyholdDb(uniqueDbName('ahead'));
  return { db, sessions: new SessionStore(db), policies: new PolicyEnforcer(new PolicyStates(db), () => T0), audit: new AuditLog(db, 0) };
}

/** `n` sessions stored behind the stores' back (as a previous worker life left them), in key order. */
async function stored(db: KeyholdDb, n: number): Promise<SessionRecord[]> {
  const records: SessionRecord[] = [];
  for (let i = 0; i < n; i++) records.push(await makeSessionRecord());
  for (const r of records) await db.put('sessions', r);
  return records.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** One stored session. */
async function storedOne(db: KeyholdDb): Promise<SessionRecord> {
  const record = await makeSessionRecord();
  await db.put('sessions', record);
  return record;
}

/** Two stored sessions, the first with the lower key. */
async function storedTwo(db: KeyholdDb): Promise<[SessionRecord, SessionRecord]> {
  const [x, y] = [await storedOne(db), await storedOne(db)];
  return x.id < y.id ? [x, y] : [y, x];
}

const pausedState = (sessionId: string, at: number): PolicyStateRecord => ({ sessionId, validUntil: T0 + 3_600_000, paused: { at, by: 'user' }, marks: [], sums: [] });

const revocation = (r: SessionRecord): RevocationRecord => ({
  sessionId: r.id,
  origin: r.origin,
  baseUrl: 'https://service.example',
  privateKey: r.privateKey,
  publicKey: r.publicKey,
  deviceKey: new Uint8Array(32),
  revokedAt: T0,
  attempts: 0,
  nextAttemptAt: T0,
  lastError: null,
});

describe('the start reads sessions ahead', () => {
  test('a first use gets the session and its counts from the read-ahead, not from IndexedDB', async () => {
    const s = await stores();
    const a = await storedOne(s.db);
    await s.db.put('policyState', pausedState(a.id, T0 - 5));
    assert.equal(await warmSigningStores(s), 1);
    assert.equal(s.sessions.peek(a.id)?.record.id, a.id, 'cached by the read-ahead');
    // Changed behind the stores' back: a first use that read IndexedDB would see this.
    await s.db.delete('sessions', a.id);
    await s.db.put('policyState', pausedState(a.id, T0 - 99));
    const live = await s.sessions.get(a.id);
    assert.equal(live?.record.id, a.id);
    const runtime = await s.policies.load(live!.record);
    assert.deepEqual(runtime.paused, { at: T0 - 5, by: 'user' }, 'the counts read ahead');
  });

  test('a session with no stored counts starts from none, without a read of its own', async () => {
    const s = await stores();
    const a = await storedOne(s.db);
    await warmSigningStores(s);
    await s.db.put('policyState', pausedState(a.id, T0 - 7)); // after the read-ahead: not seen
    const runtime = await s.policies.load(a);
    assert.equal(runtime.paused, null);
  });

  test(`bounded: at most ${WARM_SESSIONS} sessions by default, the first in key order; the rest load on first use`, async () => {
    const s = await stores();
    const records = await stored(s.db, 5);
    const fifth = records.at(-1);
    assert.ok(fifth);
    assert.equal(await warmSigningStores(s, 3), 3);
    assert.deepEqual(
      records.map((r) => s.sessions.peek(r.id) !== undefined),
      [true, true, true, false, false],
    );
    assert.equal((await s.sessions.get(fifth.id))?.record.id, fifth.id, 'read on first use');
  });

  test('counts beyond what the read covers are read on first use, not taken as none', async () => {
    const s = await stores();
    const [a, b] = await storedTwo(s.db);
    // Two state records (left by sessions gone) with keys between a's and b's: a read of 2
    // covers keys up to the second only, so it says nothing of b's.
    await s.db.put('policyState', pausedState(`${a.id}0`, T0 - 1));
    await s.db.put('policyState', pausedState(`${a.id}1`, T0 - 2));
    assert.ok(`${a.id}1` < b.id);
    await warmSigningStores(s, 2);
    await s.db.put('policyState', pausedState(b.id, T0 - 3)); // after the read-ahead
    const runtime = await s.policies.load(b);
    assert.deepEqual(runtime.paused, { at: T0 - 3, by: 'user' }, 'b read its own counts');
  });

  test('a session revoked while the read is in flight is not cached from it (attack: a revoked session signs again)', async () => {
    for (const revoke of ['delete', 'deleteIntoRevocations'] as const) {
      const s = await stores();
      const a = await storedOne(s.db);
      const warming = warmSigningStores(s);
      // The revocation starts after the read-ahead's transaction, which still sees the record.
      const revoked = revoke === 'delete' ? s.sessions.delete(a.id) : s.sessions.deleteIntoRevocations(a.id, revocation);
      assert.equal(await warming, 1, 'the read-ahead read the session');
      await revoked;
      assert.equal(s.sessions.peek(a.id), undefined, `${revoke}: not cached`);
      assert.equal(await s.sessions.get(a.id), undefined, `${revoke}: gone`);
    }
  });

  test('a first use while the read is in flight, and a revocation after it, see the session gone', async () => {
    const s = await stores();
    const a = await storedOne(s.db);
    const warming = warmSigningStores(s);
    const firstUse = s.sessions.get(a.id);
    const revoked = s.sessions.delete(a.id);
    await Promise.all([warming, revoked]);
    assert.equal((await firstUse)?.record.id, undefined, 'revoked before the read it waited for came back');
    assert.equal(s.sessions.peek(a.id), undefined);
  });

  test('counts forgotten while the read is in flight are not taken from it', async () => {
    const s = await stores();
    const a = await storedOne(s.db);
    await s.db.put('policyState', pausedState(a.id, T0 - 5));
    const warming = warmSigningStores(s);
    const forgotten = s.policies.forget(a.id);
    await Promise.all([warming, forgotten]);
    const runtime = await s.policies.load(a);
    assert.equal(runtime.paused, null, 'the counts were deleted: none, not the stale read');
  });

  test('a failed read leaves the caches empty; sessions then load on first use', async () => {
    const s = await stores();
    const a = await storedOne(s.db);
    const closed = await stores();
    const b = await storedOne(closed.db);
    closed.db.close(); // its transactions now throw InvalidStateError
    await assert.rejects(warmSigningStores(closed), { name: 'InvalidStateError' });
    assert.equal(closed.sessions.peek(b.id), undefined);
    const rejected = Promise.reject(new Error('read failed'));
    await assert.rejects(s.sessions.warm(rejected), /read failed/);
    assert.equal((await s.sessions.get(a.id))?.record.id, a.id);
  });
});

describe('ReadGuard', () => {
  test('a read sees the keys written after it began, not before; pending is the read-ahead until it settles, failed or not', async () => {
    const guard = new ReadGuard();
    guard.written('before');
    let resolve: (v: string) => void = () => undefined;
    const read = new Promise<string>((r) => (resolve = r));
    const seen = guard.fill(read, (value, written) => ({ value, written: [...written] }));
    guard.written('during');
    resolve('v');
    assert.deepEqual(await seen, { value: 'v', written: ['during'] });
    guard.written('after'); // no read in flight: nothing to mark

    assert.equal(guard.pending, undefined);
    const failing = guard.ahead(Promise.reject(new Error('no')));
    const pending = guard.pending;
    assert.ok(pending);
    await assert.rejects(failing, /no/);
    await pending; // never rejects
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(guard.pending, undefined);
  });
});
