/**
 * The browser restarted on the same profile, and a profile holding a database of an older
 * schema, in real Chromium: sessions persist and sign with the same public key; pending
 * approvals (in `storage.session`) are gone with the pages that waited on them and hold no
 * slot; a version 1 database (the committed fixture) opens with today's build, every session
 * intact and signing for its own origin only.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, approvalPages, call, launchExtension, nextApprovalPage, ok, openDapp, startServer, stopWorker, verifyEd25519,
  type Extension, type FixtureServer, type SessionInfo,
} from '../e2e/harness.js';
import { DB_VERSION } from '../../background/db.js';
import { newSession, noApprovalWindow, rpc, type Envelope } from './browser.js';
import { record, size } from './counts.js';
import type { DbFixture } from './db-fixture.js';

const RESTARTS = size(2, 5);

let server: FixtureServer;
const dirs: string[] = [];
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function profileDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keyhold-profile-'));
  dirs.push(dir);
  return dir;
}

async function signs(ext: Extension, url: string, s: { id: string; publicKey: string }): Promise<boolean> {
  const page = await openDapp(ext.context, url);
  try {
    const out = await call<Envelope>(page, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: 'AQID' }]);
    return !out.error && out.result.public_key === s.publicKey && verifyEd25519(out.result.public_key, out.result.payload, out.result.signature);
  } finally {
    await page.close();
  }
}

describe('browser restart with the same profile', () => {
  test(`${RESTARTS} restarts: sessions persist and sign with the same key; pending approvals are gone and free their slots`, async () => {
    const dir = await profileDir();
    let ext = await launchExtension({ userDataDir: dir });
    const extensionId = ext.extensionId;
    const sessions: { url: string; s: SessionInfo }[] = [];
    let restarts = 0;
    let keysLost = 0;
    try {
      const pageA = await openDapp(ext.context, server.urlA);
      const pageB = await openDapp(ext.context, server.urlB);
      sessions.push({ url: server.urlA, s: await newSession(ext.context, pageA, { ttlSeconds: 3600, label: 'restart A1' }) });
      sessions.push({ url: server.urlA, s: await newSession(ext.context, pageA, { ttlSeconds: 3600, requestTypes: [1], label: 'restart A2' }) });
      sessions.push({ url: server.urlB, s: await newSession(ext.context, pageB, { ttlSeconds: 3600, label: 'restart B' }) });
      await noApprovalWindow(ext.context);

      for (let r = 0; r < RESTARTS; r++) {
        // Fill origin A's approval slots, then close the browser while they wait.
        const page = await openDapp(ext.context, server.urlA);
        // Their page goes with the browser: their calls end with it.
        [1, 2, 3].forEach((i) => void call(page, 'keyhold_createSession', [{ ttlSeconds: 600, label: `waiting ${r}.${i}` }]).catch(() => undefined));
        await nextApprovalPage(ext.context);
        const deadline = Date.now() + 5_000;
        while ((await rpc<unknown[]>(ext.context, extensionId, 'approval_list')).length < 3 && Date.now() < deadline) await new Promise((x) => setTimeout(x, 50));
        assert.equal((await rpc<unknown[]>(ext.context, extensionId, 'approval_list')).length, 3, 'three approvals wait before the restart');
        await ext.close();

        ext = await launchExtension({ userDataDir: dir });
        restarts++;
        assert.equal(ext.extensionId, extensionId, 'the same extension');
        assert.deepEqual(await rpc(ext.context, extensionId, 'approval_list'), [], 'pending approvals are gone');
        assert.equal(approvalPages(ext.context).length, 0, 'no approval window comes back');
        for (const { url, s } of sessions) if (!(await signs(ext, url, s))) keysLost++;
        const a = await openDapp(ext.context, server.urlA);
        const listed = ok(await call<SessionInfo[]>(a, 'keyhold_listSessions')).map((s) => s.id);
        assert.deepEqual(listed, sessions.filter((x) => x.url === server.urlA).map((x) => x.s.id), 'the same sessions, in order');
        // The old approvals hold no slot: three new ones may wait.
        const fresh = [1, 2, 3].map((i) => call(a, 'keyhold_createSession', [{ ttlSeconds: 600, label: `after ${r}.${i}` }]));
        const approval = await nextApprovalPage(ext.context);
        const d2 = Date.now() + 5_000;
        while ((await rpc<unknown[]>(ext.context, extensionId, 'approval_list')).length < 3 && Date.now() < d2) await new Promise((x) => setTimeout(x, 50));
        assert.equal((await rpc<unknown[]>(ext.context, extensionId, 'approval_list')).length, 3);
        await approval.close();
        for (const f of await Promise.all(fresh)) assert.equal(f.error?.code, 4001, 'closing the window rejects them');
        await noApprovalWindow(ext.context);
      }
    } finally {
      record('browser restart, same profile', { restarts, keysLost });
      await ext.close();
    }
    assert.equal(keysLost, 0, 'every session signs with its key after every restart');
  });
});

describe('a profile holding a version 1 database', () => {
  test(`today's build (schema version ${DB_VERSION}) opens it: every session intact and signing for its own origin only`, async () => {
    const fixture = JSON.parse(await readFile(join(ROOT, 'test/fixtures/db-v1/keyhold.json'), 'utf8')) as DbFixture;
    assert.equal(fixture.dbVersion, 1);
    const origins: Record<string, string> = { 'https://a.example': server.originA, 'https://b.example': server.originB };
    type Row = { id: string; origin: string; validUntil: number; publicKey: { $bytes: string }; requestTypes: number[] | null };
    const rows = (fixture.stores.sessions as Row[]).map((r) => ({ ...r, origin: origins[r.origin]! }));
    assert.ok(rows.every((r) => r.origin), 'every fixture origin is mapped to a test origin');

    const ext = await launchExtension({ userDataDir: await profileDir() });
    let keysLost = 0;
    try {
      // The worker made a fresh database at start; stop it, and write version 1 in its place
      // from an extension page (same origin, same IndexedDB) while nothing wakes the worker.
      await stopWorker(ext.context, ext.extensionId);
      const page = await ext.context.newPage();
      await page.goto(`chrome-extension://${ext.extensionId}/icon-16.png`);
      // Delete and reopen at version 1 back to back: IndexedDB queues requests for one name in
      // order, so a waking worker's open comes after and upgrades what we wrote, records and all.
      const writing = page.evaluate(
        async ({ schema, rows }) => {
          const records = await Promise.all(
            rows.map(async (r) => {
              const seed = Uint8Array.from(atob(r.privateKey.$ed25519Seed), (c) => c.charCodeAt(0));
              const pkcs8 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20, ...seed]);
              const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
              const publicKey = Uint8Array.from(atob(r.publicKey.$bytes), (c) => c.charCodeAt(0));
              return { ...r, publicKey, privateKey };
            }),
          );
          const del = indexedDB.deleteDatabase('keyhold');
          const open = indexedDB.open('keyhold', 1);
          const db = await new Promise<IDBDatabase>((ok, fail) => {
            del.onerror = () => fail(del.error);
            open.onupgradeneeded = () => {
              // Version 1's stores and indexes, exactly as the fixture recorded them, and its records.
              for (const [name, s] of Object.entries(schema)) {
                const store = open.result.createObjectStore(name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
                for (const [i, x] of Object.entries(s.indexes)) store.createIndex(i, x.keyPath, { unique: x.unique, multiEntry: x.multiEntry });
              }
              for (const r of records) open.transaction!.objectStore('sessions').put(r);
            };
            open.onsuccess = () => ok(open.result);
            open.onerror = () => fail(open.error);
          });
          const v = db.version;
          db.close();
          return v;
        },
        { schema: fixture.schema, rows: rows as (Row & { privateKey: { $ed25519Seed: string } })[] },
      );
      // If the worker woke and holds the database, the delete waits: stop it again.
      let version: number | undefined;
      void writing.then((v) => (version = v), () => (version = -1));
      for (let i = 0; i < 20 && version === undefined; i++) {
        await new Promise((r) => setTimeout(r, 250));
        if (version === undefined) await stopWorker(ext.context, ext.extensionId);
      }
      assert.equal(await writing, 1);
      await page.close();

      const now = Date.now();
      for (const url of [server.urlA, server.urlB]) {
        const dapp = await openDapp(ext.context, url);
        const origin = new URL(url).origin;
        const mine = rows.filter((r) => r.origin === origin);
        const listed = ok(await call<SessionInfo[]>(dapp, 'keyhold_listSessions')).map((s) => s.id);
        assert.deepEqual(listed, mine.filter((r) => r.validUntil > now).map((r) => r.id), `${origin} lists its live version 1 sessions`);
        for (const r of rows) {
          const out = await call<Envelope>(dapp, 'keyhold_signRequest', [{ sessionId: r.id, requestType: r.requestTypes?.[0] ?? 1, body: 'AQID' }]);
          if (r.origin === origin && r.validUntil > now) {
            const good = !out.error && out.result.public_key === r.publicKey.$bytes && verifyEd25519(out.result.public_key, out.result.payload, out.result.signature);
            if (!good) keysLost++;
            assert.ok(good, `${r.id} signs with its version 1 key: ${JSON.stringify(out.error)}`);
          } else {
            assert.equal(out.error?.code, 4100, `${r.id} (expired or another origin's) is refused from ${origin}`);
          }
        }
        await dapp.close();
      }
      const worker = ext.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${ext.extensionId}/`))!;
      const dbs = (await worker.evaluate(() => indexedDB.databases())) as { name: string; version: number }[];
      assert.equal(dbs.find((d) => d.name === 'keyhold')?.version, DB_VERSION, 'the worker upgraded it');
    } finally {
      record('version 1 database in the browser', { keysLost, restarts: 0 });
      await ext.close();
    }
  });
});
