/**
 * Schema upgrades: a database written by schema version 1 (the committed fixture
 * `test/fixtures/db-v1/keyhold.json`, made by `scripts/make-db-fixture.ts`) opens with today's
 * `openKeyholdDb`, whatever its version, with every record intact and every key signing, through
 * the store and through the page port.
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
