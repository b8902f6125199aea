/**
 * Writes `test/fixtures/db-v<N>/keyhold.json`: a Keyhold database as schema version N wrote it,
 * for the upgrade tests of later versions. Under fake-indexeddb it opens the database exactly as
 * `openKeyholdDb` did at version N — the first N of today's `MIGRATIONS`, which are append-only,
 * so those are the very migrations version N ran — stores sessions through `SessionStore.add`,
 * reads every store back and writes it as JSON (`test/faults/db-fixture.ts`). Keys come from
 * fixed seeds, imported non-extractable exactly like the keys `generateSessionKey` makes (checked
 * here), so the fixture can be rebuilt. Run once per schema version and commit the file; never
 * rewrite an older version's fixture:
 * `tsx scripts/make-db-fixture.ts [--version N] [--force]` (N defaults to `DB_VERSION`).
 * @module
 */
import 'fake-indexeddb/auto';
import { createHash, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDB } from 'idb';
import { DB_VERSION, MIGRATIONS, type KeyholdDb, type SessionRecord } from '../background/db.js';
import { generateSessionKey } from '../background/sessions/keys.js';
import { SessionStore } from '../background/sessions/store.js';
import { uuidToString, uuidv7 } from '../src/wire/uuidv7.js';
import { ED25519_PKCS8_PREFIX, encodeValue, importSeed, schemaOf, type DbFixture } from '../test/faults/db-fixture.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--version');
const VERSION = at > 0 ? Number(process.argv[at + 1]) : DB_VERSION;
if (!Number.isInteger(VERSION) || VERSION < 1 || VERSION > DB_VERSION) {
  console.error(`--version must be an integer from 1 to ${DB_VERSION}`);
  process.exit(1);
}
const OUT = join(ROOT, `test/fixtures/db-v${VERSION}/keyhold.json`);

if (existsSync(OUT) && !process.argv.includes('--force')) {
  console.error(`${OUT} exists; a committed fixture is not rewritten (use --force for a new, uncommitted version).`);
  process.exit(1);
}

const seedOf = (i: number) => new Uint8Array(createHash('sha256').update(`keyhold db fixture seed ${i}`).digest());
/** The raw public key of a seed, by node:crypto alone (independent of WebCrypto). */
const publicKeyOf = (seed: Uint8Array) => {
  const priv = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return new Uint8Array(Buffer.from(createPublicKey(priv).export({ format: 'jwk' }).x!, 'base64url'));
};

const T = Date.UTC(2025, 5, 1, 12);
const FAR = Date.UTC(2099, 0, 1);
type Shape = Omit<SessionRecord, 'id' | 'publicKey' | 'privateKey'>;
const shapes: Shape[] = [
  { origin: 'https://a.example', role: 'TRADING_ONLY', subaccountIndex: null, requestTypes: null, label: null, createdAt: T, validUntil: FAR },
  { origin: 'https://a.example', role: 'FULL_ACCESS', subaccountIndex: 3, requestTypes: [1, 2, 65535], label: 'Trading – café ☕', createdAt: T + 1_000, validUntil: FAR },
  { origin: 'https://b.example', role: 'TRADING_ONLY', subaccountIndex: 2_147_483_647, requestTypes: [7], label: '', createdAt: T + 2_000, validUntil: FAR },
  // Expired: an upgrade must carry it unchanged; the purge, not the migration, removes it.
  { origin: 'https://a.example', role: 'TRADING_ONLY', subaccountIndex: 0, requestTypes: null, label: 'expired', createdAt: T + 3_000, validUntil: T + 63_000 },
];

// The fixture's keys must be what the worker's keys are: same algorithm, type, usages, extractability.
const made = await generateSessionKey();
const probe = await importSeed(seedOf(0));
for (const k of ['type', 'extractable'] as const) {
  if (made.privateKey[k] !== probe[k]) throw new Error(`fixture keys differ from generateSessionKey's in ${k}`);
}
if (made.privateKey.algorithm.name !== probe.algorithm.name || made.privateKey.usages.join() !== probe.usages.join()) {
  throw new Error("fixture keys differ from generateSessionKey's in algorithm or usages");
}

const name = `keyhold-fixture-${process.pid}`;
// What `openKeyholdDb` was at VERSION: the same call, with the migrations that existed then.
const db = (await openDB(name, VERSION, {
  upgrade(db, oldVersion, _newVersion, tx) {
    for (let v = oldVersion; v < VERSION; v++) (MIGRATIONS[v] as (d: unknown, t: unknown) => void)(db, tx);
  },
})) as unknown as KeyholdDb;
const store = new SessionStore(db);
const seedById = new Map<string, Uint8Array>();
for (const [i, shape] of shapes.entries()) {
  const seed = seedOf(i + 1);
  const id = uuidToString(uuidv7(shape.createdAt));
  seedById.set(id, seed);
  await store.add({ ...shape, id, publicKey: publicKeyOf(seed), privateKey: await importSeed(seed) });
}

const stores: Record<string, unknown[]> = {};
for (const storeName of [...db.objectStoreNames].sort()) {
  const records: unknown[] = await db.getAll(storeName);
  stores[storeName] = records.map((r, i) =>
    encodeValue(r, (key, path) => {
      const owner = r as { id?: unknown; sessionId?: unknown };
      const seed = seedById.get(String(owner.id ?? owner.sessionId));
      if (!seed) throw new Error(`${storeName}[${i}]${path.slice(1)}: a key with no known seed`);
      return seed;
    }),
  );
}

// Self-check: every stored key signs for its public key.
for (const r of (await db.getAll('sessions')) as SessionRecord[]) {
  const msg = new TextEncoder().encode(r.id);
  const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', r.privateKey, msg));
  const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(r.publicKey).toString('base64url') }, format: 'jwk' });
  if (!verify(null, msg, pub, sig)) throw new Error(`session ${r.id} does not sign for its public key`);
}

const fixture: DbFixture = {
  about: `A Keyhold database written by schema version ${VERSION} (background/db.ts), for upgrade tests. Generated by scripts/make-db-fixture.ts; test keys from fixed seeds, never use them for anything else.`,
  dbVersion: db.version,
  schema: schemaOf(db),
  stores,
};
db.close();
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(fixture, null, 2)}\n`);
console.log(`wrote ${OUT}: version ${fixture.dbVersion}, ${Object.entries(stores).map(([s, r]) => `${s} ${r.length}`).join(', ')}`);
