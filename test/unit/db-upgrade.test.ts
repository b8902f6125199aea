/**
 * Schema upgrades: databases written by schema versions 1 and 3 (the committed fixtures
 * `test/fixtures/db-v1/keyhold.json` and `db-v3/keyhold.json`, made by
 * `scripts/make-db-fixture.ts`) open with today's `openKeyholdDb`, whatever its version, with
 * every record intact and every key signing, through the store and through the page port. The
 * version 3 fixture fills every store — service sessions, a revocation owed to a service, the
 * activity log, the vault, a connected site — so the next migration is tested against them.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openDB } from 'idb';
import { DB_VERSION, MIGRATIONS, openKeyholdDb, type SessionRecord } from '../../background/db.js';
import { servePagePort } from '../../background/router/page-port.js';
import type { JsonEnvelope, SessionInfo } from '../../src/protocol/page-api.js';
import { decodePayload } from '../../src/wire/payload.js';
import { ED25519_PKCS8_PREFIX, buildDbFromFixture, schemaOf, type DbFixture, type JsonBytes, type JsonKey } from '../faults/db-fixture.js';
import { FakeWorkerPort, b64, makeDeps, toB64, uniqueDbName, verifyEd25519 } from './fakes.js';

const V1 = JSON.parse(readFileSync(new URL('../fixtures/db-v1/keyhold.json', import.meta.url), 'utf8')) as DbFixture;
type JsonSession = Omit<SessionRecord, 'publicKey' | 'privateKey'> & { publicKey: JsonBytes; privateKey: JsonKey };
const fixtureSessions = V1.stores.sessions as JsonSession[];
const NOW = Date.UTC(2030, 0, 1);

/** The public key of a seed by node:crypto alone, to check the fixture against itself. */
const publicKeyOfSeed = (seedB64: string) =>
  createPublicKey(createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seedB64, 'base64')]), format: 'der', type: 'pkcs8' }))
    .export({ format: 'jwk' }).x;

async function upgradedV1(): Promise<string> {
  const name = uniqueDbName('v1');
  await buildDbFromFixture(name, V1);
  return name;
}

describe('schema upgrade from version 1', () => {
  test('the fixture is a version 1 database with sessions of every shape, and its keys match its public keys', () => {
    assert.equal(V1.dbVersion, 1);
    assert.deepEqual(Object.keys(V1.stores), ['sessions']);
    assert.ok(fixtureSessions.length >= 4);
    assert.ok(fixtureSessions.some((s) => s.validUntil < NOW), 'an expired session');
    assert.ok(fixtureSessions.some((s) => s.requestTypes !== null && s.subaccountIndex !== null), 'a restricted session');
    for (const s of fixtureSessions) {
      assert.equal(Buffer.from(s.publicKey.$bytes, 'base64').toString('base64url'), publicKeyOfSeed(s.privateKey.$ed25519Seed), `${s.id}: public key of its seed`);
    }
  });

  test("rebuilding it runs only migration 1, whose schema is still the fixture's (migrations are append-only)", async () => {
    const name = await upgradedV1();
    const db = await openDB(name);
    try {
      assert.equal(db.version, 1);
      assert.deepEqual(schemaOf(db), V1.schema, 'MIGRATIONS[0] was edited: it no longer makes what version 1 made');
    } finally {
      db.close();
    }
  });

  test(`openKeyholdDb upgrades it to version ${DB_VERSION}: every record intact, every key signing`, async () => {
    const name = await upgradedV1();
    const db = await openKeyholdDb(name);
    try {
      assert.equal(db.version, DB_VERSION);
      assert.equal(DB_VERSION, MIGRATIONS.length);
      // Every store of version 1 is unchanged; later migrations may only add.
      const now = schemaOf(db);
      for (const [store, schema] of Object.entries(V1.schema)) assert.deepEqual(now[store], schema, `store ${store} changed`);
      const stored = (await db.getAll('sessions')) as SessionRecord[];
      assert.equal(stored.length, fixtureSessions.length, 'no session lost or added');
      for (const want of fixtureSessions) {
        const got = stored.find((r) => r.id === want.id);
        assert.ok(got, `session ${want.id} survived`);
        const { publicKey, privateKey, ...fields } = got;
        const { publicKey: wantPub, privateKey: _k, ...wantFields } = want;
        assert.deepEqual(fields, wantFields, `${want.id}: fields intact`);
        assert.equal(toB64(publicKey), wantPub.$bytes, `${want.id}: public key intact`);
        assert.ok(privateKey instanceof CryptoKey);
        assert.equal(privateKey.extractable, false, 'still non-extractable');
        assert.equal(privateKey.type, 'private');
        assert.equal(privateKey.algorithm.name, 'Ed25519');
        await assert.rejects(crypto.subtle.exportKey('pkcs8', privateKey));
        const msg = new TextEncoder().encode(`upgrade ${want.id}`);
        const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, msg));
        assert.ok(verifyEd25519(publicKey, msg, sig), `${want.id}: signs for its public key`);
      }
    } finally {
      db.close();
    }
  });

  test('after the upgrade the worker serves the old sessions to their own origins only', async () => {
    const deps = await makeDeps({ dbName: await upgradedV1(), clock: { now: NOW } });
    const origins = [...new Set(fixtureSessions.map((s) => s.origin))];
    assert.ok(origins.length >= 2);
    for (const origin of origins) {
      const port = new FakeWorkerPort();
      servePagePort(port, origin, Promise.resolve(deps));
      const mine = fixtureSessions.filter((s) => s.origin === origin);
      const live = mine.filter((s) => s.validUntil > NOW);
      const foreign = fixtureSessions.filter((s) => s.origin !== origin);
      const requests = [
        { id: 'list', method: 'keyhold_listSessions' },
        ...fixtureSessions.map((s) => ({
          id: s.id,
          method: 'keyhold_signRequest',
          params: [{ sessionId: s.id, requestType: s.requestTypes?.[0] ?? 9, body: toB64(new TextEncoder().encode(s.id)) }],
        })),
      ];
      port.send({ requests });
      const [message] = await port.waitFor(1);
      const byId = new Map(message!.responses.map((r) => [r.id, r]));
      const listed = (byId.get('list') as { result: SessionInfo[] }).result;
      assert.deepEqual(listed.map((s) => s.id), live.map((s) => s.id), `${origin} lists its live sessions, oldest first`);
      for (const s of live) {
        const r = byId.get(s.id);
        assert.ok(r && 'result' in r, `${s.id} signs after the upgrade: ${JSON.stringify(r)}`);
        const env = r.result as JsonEnvelope;
        assert.equal(env.public_key, s.publicKey.$bytes, 'with its old public key');
        assert.ok(verifyEd25519(b64(s.publicKey.$bytes), b64(env.payload), b64(env.signature)));
        assert.deepEqual(decodePayload(b64(env.payload)).body, new TextEncoder().encode(s.id));
      }
      for (const s of [...mine.filter((x) => x.validUntil <= NOW), ...foreign]) {
        const r = byId.get(s.id);
        assert.ok(r && 'error' in r && r.error.code === 4100, `${s.id} (expired or foreign) refused from ${origin}: ${JSON.stringify(r)}`);
      }
    }
  });
});

// ---- version 3: every store filled (service sessions, an owed revocation, activity, the vault, a connected site) ----

const V3 = JSON.parse(readFileSync(new URL('../fixtures/db-v3/keyhold.json', import.meta.url), 'utf8')) as DbFixture;
type JsonRecord = Record<string, unknown>;
const v3 = (store: string) => V3.stores[store] as JsonRecord[];
const SERVICE = 'https://api.exchange.example';

async function upgradedV3(): Promise<string> {
  const name = uniqueDbName('v3');
  await buildDbFromFixture(name, V3);
  return name;
}

/** A stored value in the fixture's JSON form, keys by their public facts (a key cannot be read back). */
function comparable(value: unknown): unknown {
  if (value instanceof CryptoKey) return { key: value.type, algorithm: value.algorithm.name, extractable: value.extractable, usages: value.usages };
  if (value instanceof Uint8Array) return { $bytes: toB64(value) };
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') {
    const o = value as JsonRecord;
    if (typeof o.$ed25519Seed === 'string') return { key: 'private', algorithm: 'Ed25519', extractable: false, usages: ['sign'] };
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, comparable(v)]));
  }
  return value;
}

describe('schema upgrade from version 3', () => {
  test('the fixture is a version 3 database with every store filled', () => {
    assert.equal(V3.dbVersion, 3);
    assert.deepEqual(Object.keys(V3.stores).sort(), ['audit', 'permissions', 'revocations', 'sessions', 'vault']);
    for (const [store, records] of Object.entries(V3.stores)) assert.ok(records.length > 0, `${store} has records`);
    const services = v3('sessions').map((s) => (s.service as { status?: string } | undefined)?.status);
    assert.ok(services.includes('active') && services.includes('pending') && services.includes(undefined), 'local, active and pending service sessions');
    assert.deepEqual(v3('vault').map((r) => r.id).sort(), ['master', 'settings', 'throttle']);
    assert.ok(V3.testSecrets?.vaultPassword);
    for (const r of [...v3('sessions'), ...v3('revocations')]) {
      const seed = (r.privateKey as JsonKey).$ed25519Seed;
      assert.equal(Buffer.from((r.publicKey as JsonBytes).$bytes, 'base64').toString('base64url'), publicKeyOfSeed(seed), 'public key of its seed');
    }
  });

  test("rebuilding it runs only migrations 1–3, whose schema is still the fixture's (migrations are append-only)", async () => {
    const db = await openDB(await upgradedV3());
    try {
      assert.equal(db.version, 3);
      assert.deepEqual(schemaOf(db), V3.schema, 'a migration up to 3 was edited: it no longer makes what version 3 made');
    } finally {
      db.close();
    }
  });

  test(`openKeyholdDb upgrades it to version ${DB_VERSION}: every record of every store intact, every key signing`, async () => {
    const db = await openKeyholdDb(await upgradedV3());
    try {
      assert.equal(db.version, DB_VERSION);
      const now = schemaOf(db);
      for (const [store, schema] of Object.entries(V3.schema)) assert.deepEqual(now[store], schema, `store ${store} changed`);
      for (const [store, records] of Object.entries(V3.stores)) {
        const stored = (await db.getAll(store as 'sessions')) as unknown as JsonRecord[];
        assert.deepEqual(comparable(stored), comparable(records), `${store}: every record intact`);
        for (const r of stored) {
          if (!(r.privateKey instanceof CryptoKey)) continue;
          await assert.rejects(crypto.subtle.exportKey('pkcs8', r.privateKey));
          const msg = new TextEncoder().encode(`upgrade v3 ${String(r.id ?? r.sessionId)}`);
          const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', r.privateKey, msg));
          assert.ok(verifyEd25519(r.publicKey as Uint8Array, msg, sig), `${store} ${String(r.id ?? r.sessionId)}: signs for its public key`);
        }
      }
    } finally {
      db.close();
    }
  });

  test('after the upgrade the worker uses it all: sends with the device key, delivers the owed logout, lists the activity, unlocks the vault, knows the connected site', async () => {
    const deps = await makeDeps({ dbName: await upgradedV3(), clock: { now: NOW }, vaultIterations: 600_000 });
    deps.fakeHttp.respond = (url) => (url.endsWith('/api/v1/logout') ? { status: 200, body: { session_revoked: true, device_key_deleted: true } } : { status: 200, body: { accepted: true } });
    const port = new FakeWorkerPort();
    servePagePort(port, 'https://a.example', Promise.resolve(deps));
    const active = v3('sessions').find((s) => (s.service as { status?: string } | undefined)?.status === 'active')!;
    const account = (v3('permissions')[0]!.accounts as string[])[0]!;
    port.send({ requests: [
      { id: 'send', method: 'keyhold_send', params: [{ sessionId: active.id, path: '/api/v1/orders', requestType: 1, body: 'AQID' }] },
      // The vault is locked after the restart, so eth_accounts says []; the permission is what stays.
      { id: 'accounts', method: 'wallet_getPermissions' },
      { id: 'chain', method: 'eth_chainId' },
    ] });
    // keyhold_send is answered on its own, the others as a batch.
    const deadline = Date.now() + 5_000;
    while (port.responses().length < 3 && Date.now() < deadline) await port.waitFor(port.posted.length + 1, 5_000);
    const byId = new Map(port.responses().map((r) => [r.id, r]));
    assert.deepEqual((byId.get('send') as { result: unknown }).result, { status: 200, body: { accepted: true } });
    const sent = deps.fakeHttp.calls.find((c) => c.url === `${SERVICE}/api/v1/orders`)!;
    assert.equal(sent.headers['X-DEVICE-KEY'], ((active.service as JsonRecord).deviceKey as JsonBytes).$bytes, 'the stored device key');
    const env = sent.json as JsonEnvelope;
    assert.ok(verifyEd25519(b64((active.publicKey as JsonBytes).$bytes), b64(env.payload), b64(env.signature)));
    const [perm] = (byId.get('accounts') as { result: { caveats: { value: string[] }[] }[] }).result;
    assert.deepEqual(perm?.caveats[0]?.value, [account], 'the site is still connected');
    assert.equal((byId.get('chain') as { result: unknown }).result, '0xa', 'the chain setting kept');

    const owed = v3('revocations')[0]!;
    await deps.revocations.deliverAll();
    assert.deepEqual(await deps.revocations.pending(), [], 'the owed logout is delivered');
    const logout = deps.fakeHttp.calls.find((c) => c.url === `${SERVICE}/api/v1/logout`)!;
    assert.equal(logout.headers['X-DEVICE-KEY'], (owed.deviceKey as JsonBytes).$bytes);
    const le = logout.json as JsonEnvelope;
    assert.ok(verifyEd25519(b64((owed.publicKey as JsonBytes).$bytes), b64(le.payload), b64(le.signature)), 'signed by the revoked session key');

    // The send just made is the newest entry; the fixture's follow, newest first.
    const activity = await deps.audit.list();
    assert.deepEqual([activity[0]!.kind, activity[0]!.at], ['sign', NOW]);
    assert.deepEqual(activity.slice(1).map((e) => [e.kind, e.sessionId]), [...v3('audit')].reverse().map((e) => [e.kind, e.sessionId]), 'the activity log, newest first');

    const locked = await deps.vault.status();
    assert.deepEqual([locked.exists, locked.unlocked, locked.accounts], [true, false, v3('vault').find((r) => r.id === 'master')!.accounts]);
    assert.equal((await deps.vault.settings()).autoLockMinutes, 30);
    const unlocked = await deps.vault.unlock(V3.testSecrets!.vaultPassword);
    assert.equal(unlocked.unlocked, true, 'the vault opens with its password');
  });
});
