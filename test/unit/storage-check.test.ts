/**
 * The storage check at worker start (background/storage/): the verdict from what browsers
 * report, and the warning path with the browser reporting best-effort storage — `storage_status`
 * says "evictable" with the figures, the activity log records it once per browser run, and
 * persistence is asked for where the browser offers it.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerRpc } from '../../background/router/extension-rpc.js';
import { LOGGED_KEY, StorageCheck } from '../../background/storage/check.js';
import { BEST_EFFORT_MAX_HEADROOM, judgeStorage, type StorageFacts } from '../../background/storage/verdict.js';
import type { ActivityView, StorageStatusView } from '../../src/protocol/extension-rpc.js';
import { EXTENSION_ORIGIN, FakeStorageManager, MemoryArea, T0, makeDeps, uniqueDbName, type TestDeps } from './fakes.js';

const GiB = 2 ** 30;

async function rpc<T>(deps: TestDeps, method: string, params: unknown): Promise<T> {
  const answer = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method, params });
  assert.ok(answer.ok, JSON.stringify(answer));
  return answer.result as T;
}

const storageLines = async (deps: TestDeps) =>
  (await rpc<ActivityView[]>(deps, 'activity_list', {})).filter((e) => e.kind === 'storage-evictable');

describe('judgeStorage: what each browser reports', () => {
  const facts = (over: Partial<StorageFacts>): StorageFacts => ({ quota: null, usage: null, persisted: null, unlimitedStorage: false, ...over });
  const cases: Array<[string, StorageFacts, ReturnType<typeof judgeStorage>]> = [
    ['Chromium, no unlimitedStorage: usage + 10 GiB, not persisted', facts({ quota: 204_870 + 10 * GiB, usage: 204_870, persisted: false }), { state: 'evictable', basis: null }],
    ['Chromium with unlimitedStorage: usage + the free disk', facts({ quota: 82_191_074_100, usage: 201_524, persisted: false, unlimitedStorage: true }), { state: 'persistent', basis: 'unlimited' }],
    ['unlimitedStorage granted but the quota is the best-effort report', facts({ quota: 4_096 + 10 * GiB, usage: 4_096, persisted: false, unlimitedStorage: true }), { state: 'evictable', basis: null }],
    ['a large quota without unlimitedStorage (a dynamic best-effort share)', facts({ quota: 150e9, usage: 0, persisted: false }), { state: 'evictable', basis: null }],
    ['Firefox before persist(): 10 GiB, not persisted', facts({ quota: 10 * GiB, usage: 77_928, persisted: false, unlimitedStorage: true }), { state: 'evictable', basis: null }],
    ['Firefox after persist() was granted', facts({ quota: 135_276_587_008, usage: 77_928, persisted: true, unlimitedStorage: true }), { state: 'persistent', basis: 'persisted' }],
    ['persisted, whatever the quota', facts({ persisted: true }), { state: 'persistent', basis: 'persisted' }],
    ['a browser that reports nothing', facts({ unlimitedStorage: true }), { state: 'evictable', basis: null }],
    ['headroom exactly the best-effort maximum', facts({ quota: BEST_EFFORT_MAX_HEADROOM + 5, usage: 5, unlimitedStorage: true }), { state: 'evictable', basis: null }],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => assert.deepEqual(judgeStorage(input), expected));
  }
});

describe('the storage check with the browser reporting best-effort storage', () => {
  test('storage_status is "evictable" with what the browser reported, and the activity log records it', async () => {
    const deps = await makeDeps();
    const status = await rpc<StorageStatusView>(deps, 'storage_status', {});
    assert.deepEqual(status, {
      state: 'evictable',
      basis: null,
      quota: 204_870 + 10 * GiB,
      usage: 204_870,
      persisted: false,
      unlimitedStorage: false,
      checkedAt: T0,
    });
    const lines = await storageLines(deps);
    assert.deepEqual(lines, [{ at: T0, origin: EXTENSION_ORIGIN, kind: 'storage-evictable' }]);
  });

  test('one line per browser run: worker restarts do not repeat it; a new browser run does', async () => {
    const dbName = uniqueDbName();
    const area = new MemoryArea();
    const first = await makeDeps({ dbName, area });
    await rpc(first, 'storage_status', {});
    await first.audit.flush();
    // The worker restarts: same database, same storage.session.
    const restarted = await makeDeps({ dbName, area });
    assert.equal((await rpc<StorageStatusView>(restarted, 'storage_status', {})).state, 'evictable');
    assert.equal((await storageLines(restarted)).length, 1, 'a restarted worker does not log it again');
    // The browser restarts: storage.session is gone.
    const nextRun = await makeDeps({ dbName });
    assert.equal((await rpc<StorageStatusView>(nextRun, 'storage_status', {})).state, 'evictable');
    assert.equal((await storageLines(nextRun)).length, 2, 'a new browser run logs it again');
  });

  test('the check runs once per worker start; "recheck" reads the browser again', async () => {
    const deps = await makeDeps();
    await rpc(deps, 'storage_status', {});
    await rpc(deps, 'storage_status', {});
    assert.equal(deps.storageManager.estimates, 1, 'the start check is kept');
    // The browser now applies unlimitedStorage (Chromium: usage + the free disk).
    deps.grants.unlimitedStorage = true;
    deps.storageManager.quota = 82_191_074_100;
    const again = await rpc<StorageStatusView>(deps, 'storage_status', { recheck: true });
    assert.deepEqual([again.state, again.basis, again.unlimitedStorage], ['persistent', 'unlimited', true]);
    assert.equal(deps.storageManager.estimates, 2);
    assert.equal(deps.area.map.get(LOGGED_KEY), false, 'persistent again: a later eviction risk would be logged again');
  });

  test('where the browser offers persist(), the check asks for it, then reports what was granted; nothing logged', async () => {
    const deps = await makeDeps();
    let asked = 0;
    deps.storageManager.persist = async () => {
      asked++;
      deps.storageManager.isPersisted = true;
      return true;
    };
    const status = await rpc<StorageStatusView>(deps, 'storage_status', {});
    assert.deepEqual([status.state, status.basis, status.persisted, asked], ['persistent', 'persisted', true, 1]);
    assert.deepEqual(await storageLines(deps), []);
    // Already persisted: not asked again.
    await rpc(deps, 'storage_status', { recheck: true });
    assert.equal(asked, 1);
  });

  test('persist() refused, or never answering (a prompt nobody sees): evictable, logged, within the timeout', async () => {
    for (const persist of [async () => false, () => new Promise<boolean>(() => undefined)]) {
      const deps = await makeDeps();
      const storage = new FakeStorageManager();
      storage.persist = persist;
      const check = new StorageCheck({
        storage,
        hasUnlimitedStorage: async () => true,
        audit: deps.audit,
        area: deps.area,
        origin: EXTENSION_ORIGIN,
        now: () => T0,
        persistTimeoutMs: 50,
      });
      const started = Date.now();
      const status = await check.status();
      assert.ok(Date.now() - started < 2_000, 'the check does not wait on the prompt');
      assert.deepEqual([status.state, status.persisted], ['evictable', false]);
      assert.equal((await storageLines(deps)).length, 1);
    }
  });

  test('a browser that reports nothing (no estimate, no persisted) is evictable, never assumed safe', async () => {
    const deps = await makeDeps();
    const failing = { estimate: () => Promise.reject(new Error('not available')) };
    const check = new StorageCheck({ storage: failing, hasUnlimitedStorage: () => Promise.reject(new Error('no')), audit: deps.audit, area: deps.area, origin: EXTENSION_ORIGIN, now: () => T0 });
    assert.deepEqual(await check.status(), { state: 'evictable', basis: null, quota: null, usage: null, persisted: null, unlimitedStorage: false, checkedAt: T0 });
    assert.equal((await storageLines(deps)).length, 1);
    const none = new StorageCheck({ storage: undefined, hasUnlimitedStorage: async () => true, audit: deps.audit, area: new MemoryArea(), origin: EXTENSION_ORIGIN, now: () => T0 });
    assert.equal((await none.status()).state, 'evictable');
  });

  test('bad params are -32602 and check nothing', async () => {
    const deps = await makeDeps();
    for (const params of [{ recheck: 'yes' }, { recheck: 1 }, { other: true }, []]) {
      const answer = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method: 'storage_status', params });
      assert.ok(!answer.ok, JSON.stringify(params));
      assert.equal(answer.error.code, -32602, JSON.stringify(params));
    }
    assert.equal(deps.storageManager.estimates, 0);
    assert.deepEqual(await storageLines(deps), []);
  });
});
