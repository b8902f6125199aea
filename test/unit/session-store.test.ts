/**
 * The session store over fake-indexeddb: CRUD, listing, purging, keys that stay non-extractable
 * and keep signing across a worker restart (invariants 2 and 7), corrupt records read as
 * absent, and the schema migrations.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from 'idb';
import { DB_VERSION, MIGRATIONS, openKeyholdDb, type KeyholdDb, type KeyholdSchema, type SessionRecord } from '../../background/db.js';
import { generateSessionKey } from '../../background/sessions/keys.js';
import { isSessionRecord } from '../../background/sessions/record.js';
import { SessionStore } from '../../background/sessions/store.js';
import { ORIGIN_A, ORIGIN_B, T0, makeSessionRecord, toB64, uniqueDbName, verifyEd25519 } from './fakes.js';

async function fresh(): Promise<{ name: string; db: KeyholdDb; store: SessionStore }> {
  const name = uniqueDbName('store');
  const db = await openKeyholdDb(name);
  return { name, db, store: new SessionStore(db) };
}

const ids = (rs: SessionRecord[]): string[] => rs.map((r) => r.id);

describe('generateSessionKey', () => {
  test('a non-extractable Ed25519 signing key and a 32-byte public key', async () => {
    const key = await generateSessionKey();
    assert.ok(key.privateKey instanceof CryptoKey);
    assert.equal(key.privateKey.extractable, false);
    assert.equal(key.privateKey.type, 'private');
    assert.equal(key.privateKey.algorithm.name, 'Ed25519');
    assert.deepEqual(key.privateKey.usages, ['sign']);
    assert.ok(key.publicKey instanceof Uint8Array);
    assert.equal(key.publicKey.length, 32);
  });

  test('the private key cannot be exported in any format (invariant 2)', async () => {
    const { privateKey } = await generateSessionKey();
    for (const format of ['pkcs8', 'jwk', 'raw'] as const) {
      await assert.rejects(crypto.subtle.exportKey(format as 'pkcs8', privateKey), `${format} export must fail`);
    }
  });

  test('two keys differ', async () => {
    const [a, b] = await Promise.all([generateSessionKey(), generateSessionKey()]);
    assert.notEqual(toB64(a.publicKey), toB64(b.publicKey));
  });
});

describe('SessionStore', () => {
  test('add, get, delete', async () => {
    const { store, db } = await fresh();
    const r = await makeSessionRecord();
    const live = await store.add(r);
    assert.equal(live.publicKeyBase64, toB64(r.publicKey));
    assert.equal(store.peek(r.id)?.record.id, r.id);
    assert.equal((await store.get(r.id))?.record.id, r.id);
    assert.equal((await db.get('sessions', r.id))?.id, r.id);

    const deleted = await store.delete(r.id);
    assert.equal(deleted?.id, r.id);
    assert.equal(store.peek(r.id), undefined);
    assert.equal(await store.get(r.id), undefined);
    assert.equal(await db.get('sessions', r.id), undefined);
    assert.equal(await store.delete(r.id), undefined, 'a second delete finds nothing');
  });

  test('get of an unknown id is undefined', async () => {
    const { store } = await fresh();
    assert.equal(await store.get('01977420-dc00-7000-8000-000000000000'), undefined);
  });

  test('add refuses a duplicate id and keeps the first', async () => {
    const { store, db } = await fresh();
    const r = await makeSessionRecord();
    await store.add(r);
    await assert.rejects(store.add({ ...r, origin: ORIGIN_B }));
    assert.equal((await db.get('sessions', r.id))?.origin, ORIGIN_A);
  });

  test('listByOrigin: only that origin, only live, oldest first', async () => {
    const { store } = await fresh();
    const now = T0 + 10_000;
    const a2 = await makeSessionRecord({ origin: ORIGIN_A, createdAt: T0 + 2, validUntil: now + 1 });
    const a1 = await makeSessionRecord({ origin: ORIGIN_A, createdAt: T0 + 1, validUntil: now + 5_000 });
    const a3 = await makeSessionRecord({ origin: ORIGIN_A, createdAt: T0 + 3, validUntil: now + 100 });
    const expiredNow = await makeSessionRecord({ origin: ORIGIN_A, createdAt: T0, validUntil: now });
    const expired = await makeSessionRecord({ origin: ORIGIN_A, createdAt: T0, validUntil: now - 1 });
    const b = await makeSessionRecord({ origin: ORIGIN_B, createdAt: T0, validUntil: now + 5_000 });
    for (const r of [a2, expired, b, a1, expiredNow, a3]) await store.add(r);
    assert.deepEqual(ids(await store.listByOrigin(ORIGIN_A, now)), [a1.id, a2.id, a3.id]);
    assert.deepEqual(ids(await store.listByOrigin(ORIGIN_B, now)), [b.id]);
    assert.deepEqual(await store.listByOrigin('https://c.example', now), []);
  });

  test('listAll: every origin, only live, oldest first', async () => {
    const { store } = await fresh();
    const now = T0 + 10_000;
    const b = await makeSessionRecord({ origin: ORIGIN_B, createdAt: T0 + 5 });
    const a = await makeSessionRecord({ origin: ORIGIN_A, createdAt: T0 + 1 });
    const expired = await makeSessionRecord({ createdAt: T0, validUntil: now });
    for (const r of [b, expired, a]) await store.add(r);
    assert.deepEqual(ids(await store.listAll(now)), [a.id, b.id]);
  });

  test('purgeExpired deletes sessions whose validUntil <= now, from disk and cache', async () => {
    const { store, db } = await fresh();
    const now = T0 + 10_000;
    const gone1 = await makeSessionRecord({ validUntil: now });
    const gone2 = await makeSessionRecord({ validUntil: now - 5_000, origin: ORIGIN_B });
    const kept = await makeSessionRecord({ validUntil: now + 1 });
    for (const r of [gone1, gone2, kept]) await store.add(r);
    assert.equal(await store.purgeExpired(now), 2);
    assert.deepEqual(await db.getAllKeys('sessions'), [kept.id]);
    assert.equal(store.peek(gone1.id), undefined);
    assert.equal(store.peek(gone2.id), undefined);
    assert.equal(await store.get(gone1.id), undefined);
    assert.ok(store.peek(kept.id));
    assert.equal(await store.purgeExpired(now), 0);
  });

  test('nextExpiry: the earliest validUntil, undefined when empty', async () => {
    const { store } = await fresh();
    assert.equal(await store.nextExpiry(), undefined);
    await store.add(await makeSessionRecord({ validUntil: T0 + 900 }));
    await store.add(await makeSessionRecord({ validUntil: T0 + 300 }));
    await store.add(await makeSessionRecord({ validUntil: T0 + 600 }));
    assert.equal(await store.nextExpiry(), T0 + 300);
  });

  test('the stored private key is a non-extractable CryptoKey usable only to sign', async () => {
    const { store, db } = await fresh();
    const r = await makeSessionRecord();
    await store.add(r);
    const stored = await db.get('sessions', r.id);
    assert.ok(stored?.privateKey instanceof CryptoKey);
    assert.equal(stored.privateKey.extractable, false);
    assert.deepEqual(stored.privateKey.usages, ['sign']);
    await assert.rejects(crypto.subtle.exportKey('pkcs8', stored.privateKey));
    await assert.rejects(crypto.subtle.exportKey('jwk', stored.privateKey));
  });

  test('after a worker restart the key from IndexedDB still signs, verified by node:crypto', async () => {
    const { name, db, store } = await fresh();
    const r = await makeSessionRecord();
    await store.add(r);
    db.close();

    const restarted = new SessionStore(await openKeyholdDb(name));
    assert.equal(restarted.peek(r.id), undefined, 'the new worker starts with an empty cache');
    const live = await restarted.get(r.id);
    assert.ok(live);
    assert.notEqual(live.record.privateKey, r.privateKey, 'a structured clone, not the same object');
    assert.equal(live.record.privateKey.extractable, false);
    await assert.rejects(crypto.subtle.exportKey('pkcs8', live.record.privateKey));
    const message = new TextEncoder().encode('keyhold restart');
    const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', live.record.privateKey, message));
    assert.equal(verifyEd25519(live.record.publicKey, message, signature), true);
    assert.equal(verifyEd25519(r.publicKey, message, signature), true);
    message[0]! ^= 1;
    assert.equal(verifyEd25519(live.record.publicKey, message, signature), false);
    assert.equal(restarted.peek(r.id), live, 'cached after the first read');
  });

  describe('a corrupt record is treated as absent', async () => {
    const base = await makeSessionRecord();
    const corrupt: [string, Record<string, unknown>][] = [
      ['missing privateKey', { ...base, privateKey: undefined }],
      ['privateKey as bytes', { ...base, privateKey: new Uint8Array(32) }],
      ['privateKey as a plain object', { ...base, privateKey: { type: 'private' } }],
      ['role "X"', { ...base, role: 'X' }],
      ['publicKey 31 bytes', { ...base, publicKey: new Uint8Array(31) }],
      ['publicKey as base64', { ...base, publicKey: toB64(base.publicKey) }],
      ['origin missing', { ...base, origin: undefined }],
      ['subaccountIndex -1', { ...base, subaccountIndex: -1 }],
      ['requestTypes with 70000', { ...base, requestTypes: [1, 70_000] }],
      ['requestTypes a string', { ...base, requestTypes: '1' }],
      ['label a number', { ...base, label: 5 }],
      ['validUntil a string', { ...base, validUntil: String(base.validUntil) }],
      ['createdAt NaN', { ...base, createdAt: NaN }],
    ];
    for (const [name, record] of corrupt) {
      test(name, async () => {
        const { store, db } = await fresh();
        assert.equal(isSessionRecord(record), false);
        await db.put('sessions', record as unknown as SessionRecord);
        assert.equal(await store.get(base.id), undefined);
        assert.equal(store.peek(base.id), undefined);
        assert.deepEqual(await store.listByOrigin(ORIGIN_A, T0), []);
        assert.deepEqual(await store.listAll(T0), []);
      });
    }

    test('the uncorrupted record is read (so the table above can fail)', async () => {
      const { store, db } = await fresh();
      await db.put('sessions', base);
      assert.equal((await store.get(base.id))?.record.id, base.id);
    });
  });
});

describe('schema and migrations', () => {
  test('DB_VERSION is the number of migrations', () => {
    assert.ok(MIGRATIONS.length >= 1);
    assert.equal(DB_VERSION, MIGRATIONS.length);
  });

  test('version 1 has the sessions store keyed by id with by-origin and by-valid-until', async () => {
    const db = await openKeyholdDb(uniqueDbName('schema'));
    assert.equal(db.version, DB_VERSION);
    assert.ok(db.objectStoreNames.contains('sessions'));
    const store = db.transaction('sessions').store;
    assert.equal(store.keyPath, 'id');
    assert.deepEqual([...store.indexNames].sort(), ['by-origin', 'by-valid-until']);
    assert.equal(store.index('by-origin').keyPath, 'origin');
    assert.equal(store.index('by-valid-until').keyPath, 'validUntil');
    assert.equal(store.index('by-origin').unique, false);
    db.close();
  });

  test('a database made by migration 1 alone opens under openKeyholdDb with its record intact', async () => {
    const name = uniqueDbName('migrate');
    const r = await makeSessionRecord({ label: 'from v1', requestTypes: [3, 4] });
    const v1 = await openDB<KeyholdSchema>(name, 1, {
      upgrade(db, oldVersion, _newVersion, tx) {
        assert.equal(oldVersion, 0);
        MIGRATIONS[0]!(db, tx);
      },
    });
    await v1.put('sessions', r);
    v1.close();

    const db = await openKeyholdDb(name);
    assert.equal(db.version, DB_VERSION);
    const store = new SessionStore(db);
    const live = await store.get(r.id);
    assert.ok(live, 'record survives the upgrade');
    assert.equal(live.record.label, 'from v1');
    assert.deepEqual(live.record.requestTypes, [3, 4]);
    assert.equal(live.record.origin, ORIGIN_A);
    assert.deepEqual(live.record.publicKey, r.publicKey);
    assert.deepEqual(ids(await store.listByOrigin(ORIGIN_A, T0)), [r.id]);
    const message = Uint8Array.of(1, 2, 3);
    const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', live.record.privateKey, message));
    assert.ok(verifyEd25519(r.publicKey, message, sig));
    db.close();
  });
});
