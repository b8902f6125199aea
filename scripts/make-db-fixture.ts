/**
 * Writes `test/fixtures/db-v<N>/keyhold.json`: a Keyhold database as schema version N wrote it,
 * for the upgrade tests of later versions. Under fake-indexeddb it opens the database exactly as
 * `openKeyholdDb` did at version N — the first N of today's `MIGRATIONS`, which are append-only,
 * so those are the very migrations version N ran — stores records through the worker's own
 * code (sessions by `SessionStore.add`; from version 2 service sessions, a revocation owed to a
 * service by `SessionStore.deleteIntoRevocations` and activity by `AuditLog`; from version 3 a
 * vault by `Vault.create`, its settings and wrong-password counter, and a connected site by
 * `Permissions.grant`), reads every store back and writes it as JSON (`test/faults/db-fixture.ts`). Keys come from
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
import { AuditLog } from '../background/audit/log.js';
import { DB_VERSION, MIGRATIONS, type KeyholdDb, type SessionRecord } from '../background/db.js';
import { generateSessionKey } from '../background/sessions/keys.js';
import { SessionStore } from '../background/sessions/store.js';
import { Vault } from '../background/vault/vault.js';
import { Permissions } from '../background/wallet/permissions.js';
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

// Version 2: service sessions (one active with its device key, one pending with its login
// payload), a revocation still owed to its service, and the activity log.
const SERVICE = 'https://api.exchange.example';
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
if (VERSION >= 2) {
  const service: Shape[] = [
    { origin: 'https://a.example', role: 'TRADING_ONLY', subaccountIndex: null, requestTypes: [1], label: 'service, active', createdAt: T + 4_000, validUntil: FAR,
      service: { baseUrl: SERVICE, master: 'secp256k1', status: 'active', loginPayload: null, deviceKey: bytes(32, 0xd1) } },
    { origin: 'https://b.example', role: 'TRADING_ONLY', subaccountIndex: null, requestTypes: null, label: 'service, pending', createdAt: T + 5_000, validUntil: FAR,
      service: { baseUrl: SERVICE, master: 'passkey', status: 'pending', loginPayload: bytes(120, 0x2a), deviceKey: null } },
    // Revoked while the service was down: its logout is owed.
    { origin: 'https://a.example', role: 'FULL_ACCESS', subaccountIndex: 1, requestTypes: null, label: 'revoked, logout owed', createdAt: T + 6_000, validUntil: FAR,
      service: { baseUrl: SERVICE, master: 'secp256k1', status: 'active', loginPayload: null, deviceKey: bytes(32, 0xd3) } },
  ];
  for (const [i, shape] of service.entries()) {
    const seed = seedOf(shapes.length + i + 1);
    const id = uuidToString(uuidv7(shape.createdAt));
    seedById.set(id, seed);
    await store.add({ ...shape, id, publicKey: publicKeyOf(seed), privateKey: await importSeed(seed) });
  }
  const owedId = [...seedById.keys()].at(-1)!;
  await store.deleteIntoRevocations(owedId, (r) => ({
    sessionId: r.id, origin: r.origin, baseUrl: SERVICE, privateKey: r.privateKey, publicKey: r.publicKey, deviceKey: r.service!.deviceKey!,
    revokedAt: T + 7_000, attempts: 3, nextAttemptAt: T + 7_000 + 80_000, lastError: 'HTTP 503: the service is down',
  }));
  const audit = new AuditLog(db, 0);
  const [first, second] = [...seedById.keys()];
  audit.record({ at: T + 1_500, origin: 'https://a.example', kind: 'session-created', sessionId: first! });
  audit.record({ at: T + 1_600, origin: 'https://a.example', kind: 'sign', sessionId: first!, requestType: 1, requestId: uuidToString(uuidv7(T + 1_600)) });
  audit.record({ at: T + 1_700, origin: 'https://a.example', kind: 'sign', sessionId: second!, requestType: 65535, requestId: uuidToString(uuidv7(T + 1_700)) });
  audit.record({ at: T + 7_000, origin: 'https://a.example', kind: 'session-revoked', sessionId: owedId });
  await audit.flush();
}

// Version 3: the vault (the well-known Hardhat phrase, 2 accounts, today's KDF), its settings,
// one wrong password counted, and a site connected to the wallet.
const FIXTURE_MNEMONIC = 'test test test test test test test test test test test junk';
const FIXTURE_PASSWORD = 'fixture password v3';
if (VERSION >= 3) {
  const memory = new Map<string, unknown>();
  const area = {
    get: async (key: string) => (memory.has(key) ? { [key]: memory.get(key) } : {}),
    set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => memory.set(k, v)),
    remove: async (key: string) => void memory.delete(key),
  };
  let clock = T + 8_000;
  const vault = new Vault({ db, area, now: () => clock });
  const { accounts } = await vault.create({ kind: 'mnemonic', mnemonic: FIXTURE_MNEMONIC, accounts: 2 }, FIXTURE_PASSWORD);
  await vault.setSettings({ autoLockMinutes: 30, chainId: '0xa' });
  await vault.lock();
  clock += 1_000;
  await vault.unlock('a wrong password').then(() => { throw new Error('a wrong password unlocked the fixture vault'); }, () => undefined);
  await new Permissions(db).grant('https://a.example', [accounts[0]!.toLowerCase()], T + 9_000);
}

const stores: Record<string, unknown[]> = {};
for (const storeName of [...db.objectStoreNames].sort()) {
  const records: unknown[] = await db.getAll(storeName);
  stores[storeName] = records.map((r, i) =>
    encodeValue(r, (key, path) => {
      const owner = r as { id?: unknown; sessionId?: unknown };
      const seed = seedById.get(String(owner.sessionId ?? owner.id));
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
  ...(VERSION >= 3 ? { testSecrets: { vaultPassword: FIXTURE_PASSWORD, mnemonic: FIXTURE_MNEMONIC } } : {}),
  schema: schemaOf(db),
  stores,
};
db.close();
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(fixture, null, 2)}\n`);
console.log(`wrote ${OUT}: version ${fixture.dbVersion}, ${Object.entries(stores).map(([s, r]) => `${s} ${r.length}`).join(', ')}`);
