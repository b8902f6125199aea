/**
 * The worker's platform plumbing (`background/platform/`) and the failures it keeps from going
 * silent: a start that fails is answered 4900 and tried again on the next event; a database the
 * browser closes (`terminated`) is opened again; a swallowed error (audit flush, vault re-key)
 * is logged, by its site and name, never its message.
 * @module
 */
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { forceCloseDatabase } from 'fake-indexeddb';
import { unwrap } from 'idb';
import { AuditLog } from '../../background/audit/log.js';
import { openKeyholdDb, type KeyholdDb } from '../../background/db.js';
import { logError } from '../../background/platform/log.js';
import { Readiness } from '../../background/platform/readiness.js';
import { SerialLock } from '../../background/platform/serial.js';
import { servePagePort } from '../../background/router/page-port.js';
import { Vault } from '../../background/vault/vault.js';
import { ErrorCode } from '../../src/protocol/errors.js';
import type { PageResponse } from '../../src/protocol/envelope.js';
import { FakeWorkerPort, ORIGIN_A, T0, makeDeps, settle, uniqueDbName, until, type TestDeps } from './fakes.js';

/** What `console.error` was given during a test. */
let logged: string[] = [];
beforeEach(() => {
  logged = [];
  mock.method(console, 'error', (...args: unknown[]) => void logged.push(args.map(String).join(' ')));
});
afterEach(() => mock.restoreAll());

const SECRET = 'abandon abandon ability 0xdeadbeefcafe';

describe('logError: the one function that logs a caught error', () => {
  test('logs the site and the error name, never the message', () => {
    logError('audit flush', new TypeError(`bad value ${SECRET}`));
    logError('vault re-key', new DOMException(`quota ${SECRET}`, 'QuotaExceededError'));
    logError('somewhere', SECRET);
    assert.deepEqual(logged, [
      'Keyhold: audit flush failed (TypeError)',
      'Keyhold: vault re-key failed (QuotaExceededError)',
      'Keyhold: somewhere failed (string)',
    ]);
    assert.ok(logged.every((l) => !l.includes('deadbeef') && !l.includes('abandon')));
  });
});

describe('SerialLock', () => {
  test('runs tasks one at a time, in order; a failing task fails its caller only', async () => {
    const lock = new SerialLock();
    const order: string[] = [];
    const slow = lock.run(async () => {
      await settle(20);
      order.push('a');
      return 'a';
    });
    const failing = lock.run(async () => {
      order.push('b');
      throw new Error('b');
    });
    const after = lock.run(async () => {
      order.push('c');
      return 'c';
    });
    assert.equal(await slow, 'a');
    await assert.rejects(failing, /b/);
    assert.equal(await after, 'c');
    assert.deepEqual(order, ['a', 'b', 'c']);
  });
});

describe('Readiness: one start, tried again after a failure', () => {
  test('a start that fails is logged and not kept: the next caller starts again', async () => {
    let starts = 0;
    const readiness = new Readiness(async () => {
      starts++;
      if (starts === 1) throw new Error(`no IndexedDB ${SECRET}`);
      return 'deps';
    });
    await assert.rejects(readiness.get(), /no IndexedDB/);
    assert.equal(await readiness.get(), 'deps');
    assert.equal(await readiness.get(), 'deps');
    assert.equal(starts, 2);
    assert.deepEqual(logged, ['Keyhold: worker start failed (Error)']);
  });

  test('callers during one start share it; reset() makes the next caller start afresh', async () => {
    let starts = 0;
    const readiness = new Readiness(async () => {
      await settle(5);
      return ++starts;
    });
    assert.deepEqual(await Promise.all([readiness.get(), readiness.get(), readiness.get()]), [1, 1, 1]);
    readiness.reset();
    assert.equal(await readiness.get(), 2);
  });
});

/** Sends one batch on the port and waits for `n` answers. */
async function ask(port: FakeWorkerPort, requests: unknown[], n = requests.length): Promise<PageResponse[]> {
  const before = port.responses().length;
  port.send({ requests });
  await until(() => port.responses().length >= before + n, `${n} answers`);
  return port.responses().slice(before);
}

describe('the page port after a failed start', () => {
  test('every request with an id gets 4900; the next message starts the worker again and is answered', async () => {
    const deps = await makeDeps();
    let fail = true;
    const readiness = new Readiness(async () => {
      if (fail) throw new Error('IndexedDB is broken');
      return deps;
    });
    const port = new FakeWorkerPort();
    servePagePort(port, ORIGIN_A, () => readiness.get());
    // A signature (batched) and a session request (answered on its own): both hear 4900.
    const failed = await ask(port, [
      { id: '1', method: 'keyhold_listSessions' },
      { id: '2', method: 'keyhold_createSession', params: [{ ttlSeconds: 60 }] },
      { method: 'keyhold_listSessions' }, // no id: nobody to answer
    ], 2);
    assert.deepEqual(failed.map((r) => [r.id, 'error' in r ? r.error.code : null]), [['1', ErrorCode.Disconnected], ['2', ErrorCode.Disconnected]]);
    await settle();
    assert.equal(port.responses().length, 2);
    fail = false;
    const [answered] = await ask(port, [{ id: '3', method: 'keyhold_listSessions' }]);
    assert.deepEqual(answered, { id: '3', result: [] });
  });
});

describe('the database closed by the browser (idb `terminated`)', () => {
  test('openKeyholdDb reports it', async () => {
    let terminated = 0;
    const db = await openKeyholdDb(uniqueDbName(), () => terminated++);
    forceCloseDatabase(unwrap(db) as unknown as Parameters<typeof forceCloseDatabase>[0]);
    assert.equal(terminated, 1);
  });

  test('the worker opens it again on the next request, and serves it', async () => {
    const dbName = uniqueDbName();
    let starts = 0;
    let terminated = 0;
    let current: TestDeps | undefined;
    const readiness: Readiness<TestDeps> = new Readiness(async () => {
      starts++;
      current = await makeDeps({ dbName, onTerminated: () => (terminated++, readiness.reset()) });
      return current;
    });
    const port = new FakeWorkerPort();
    servePagePort(port, ORIGIN_A, () => readiness.get());
    assert.deepEqual(await ask(port, [{ id: '1', method: 'keyhold_listSessions' }]), [{ id: '1', result: [] }]);
    forceCloseDatabase(unwrap(current!.db) as unknown as Parameters<typeof forceCloseDatabase>[0]);
    // The browser says so once the connection's transactions are done (fake-indexeddb too).
    await until(() => terminated === 1, 'the close event');
    // Without the handler this would be -32603 (the stores' connection is closed).
    assert.deepEqual(await ask(port, [{ id: '2', method: 'keyhold_listSessions' }]), [{ id: '2', result: [] }]);
    assert.equal(starts, 2);
  });
});

/** A database whose writes to `store` fail, as a full disk makes them. */
function failingWrites(db: KeyholdDb, store: string): KeyholdDb {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return (names: string, ...rest: unknown[]) => {
          if (names === store) throw new DOMException(`disk full ${SECRET}`, 'QuotaExceededError');
          return (target.transaction as (...a: unknown[]) => unknown)(names, ...rest);
        };
      }
      if (prop === 'put') {
        return (name: string, ...rest: unknown[]) =>
          name === store ? Promise.reject(new DOMException(`disk full ${SECRET}`, 'QuotaExceededError')) : (target.put as (...a: unknown[]) => unknown).call(target, name, ...rest);
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describe('errors that used to be swallowed are logged', () => {
  test('an audit flush that fails: logged, and flush still resolves', async () => {
    const deps = await makeDeps();
    const audit = new AuditLog(failingWrites(deps.db, 'audit'), 0);
    audit.record({ at: T0, origin: ORIGIN_A, kind: 'sign', sessionId: 'x', requestType: 1 });
    await audit.flush();
    assert.deepEqual(logged, ['Keyhold: audit flush failed (QuotaExceededError)']);
  });

  test('a vault re-key that cannot be written: the unlock succeeds, the failure is logged', async () => {
    const deps = await makeDeps();
    await deps.vault.create({ kind: 'privateKey', privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80' }, 'correct horse battery');
    // Stronger KDF parameters than the record's: the unlock re-keys it, and the write fails.
    const vault = new Vault({ db: failingWrites(deps.db, 'vault'), area: deps.area, now: () => T0, iterations: 2_000 });
    await vault.lock();
    const status = await vault.unlock('correct horse battery');
    assert.equal(status.unlocked, true);
    assert.deepEqual(logged, ['Keyhold: vault re-key failed (QuotaExceededError)']);
  });
});
