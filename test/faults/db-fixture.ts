/**
 * A Keyhold database as JSON, to commit a database written by one schema version and prove
 * that later versions open it. CryptoKeys cannot be written as JSON, so fixture keys are made
 * from fixed Ed25519 seeds and stored by their seed; importing one makes the same
 * non-extractable key the worker would hold. Written by `scripts/make-db-fixture.ts`; read by
 * `test/unit/db-upgrade.test.ts` and, in the page, by `test/faults/browser-restart.test.ts`.
 * @module
 */
import { openDB, unwrap, type IDBPDatabase } from 'idb';
import { MIGRATIONS } from '../../background/db.js';

/** Bytes: `{ "$bytes": base64 }`. */
export interface JsonBytes {
  $bytes: string;
}
/** A non-extractable Ed25519 private key: `{ "$ed25519Seed": base64 of the 32-byte seed }`. */
export interface JsonKey {
  $ed25519Seed: string;
  extractable: false;
  usages: ['sign'];
}

export interface IndexSchema {
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
}
export interface StoreSchema {
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: Record<string, IndexSchema>;
}

export interface DbFixture {
  about: string;
  /** The schema version (`DB_VERSION`) of the code that wrote it. */
  dbVersion: number;
  /** The well-known test secrets its vault was made with (version 3 on), so tests can open it. */
  testSecrets?: { vaultPassword: string; mnemonic: string };
  /** Stores and indexes as that version made them. */
  schema: Record<string, StoreSchema>;
  /** Every record of every store, encoded. */
  stores: Record<string, unknown[]>;
}

/** PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410). */
export const ED25519_PKCS8_PREFIX = Uint8Array.from(Buffer.from('302e020100300506032b657004220420', 'hex'));

/** A non-extractable signing key from a 32-byte seed. */
export function importSeed(seed: Uint8Array): Promise<CryptoKey> {
  if (seed.length !== 32) throw new RangeError(`seed must be 32 bytes, got ${seed.length}`);
  const pkcs8 = new Uint8Array(ED25519_PKCS8_PREFIX.length + 32);
  pkcs8.set(ED25519_PKCS8_PREFIX);
  pkcs8.set(seed, ED25519_PKCS8_PREFIX.length);
  return crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/**
 * Encodes a stored value as JSON. `seedOf` names the seed of each CryptoKey met (keys cannot be
 * read back); a value of another class throws, so nothing is silently lost.
 */
export function encodeValue(value: unknown, seedOf: (key: CryptoKey, path: string) => Uint8Array, path = '$'): unknown {
  if (value instanceof Uint8Array) return { $bytes: b64(value) } satisfies JsonBytes;
  if (value instanceof CryptoKey) {
    if (value.extractable || value.type !== 'private' || value.algorithm.name !== 'Ed25519') {
      throw new TypeError(`${path}: only non-extractable Ed25519 private keys can be written`);
    }
    return { $ed25519Seed: b64(seedOf(value, path)), extractable: false, usages: ['sign'] } satisfies JsonKey;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => encodeValue(v, seedOf, `${path}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v, seedOf, `${path}.${k}`)]));
  }
  throw new TypeError(`${path}: cannot encode ${Object.prototype.toString.call(value)}`);
}

/** Decodes {@link encodeValue}'s output: bytes back to `Uint8Array`, seeds to non-extractable keys. */
export async function decodeValue(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map(decodeValue));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (typeof o.$bytes === 'string') return Uint8Array.from(Buffer.from(o.$bytes, 'base64'));
  if (typeof o.$ed25519Seed === 'string') return importSeed(Uint8Array.from(Buffer.from(o.$ed25519Seed, 'base64')));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = await decodeValue(v);
  return out;
}

/** The stores and indexes of an open database, in the fixture's form. */
export function schemaOf(db: IDBDatabase | IDBPDatabase<any>): Record<string, StoreSchema> {
  const raw = (db instanceof IDBDatabase ? db : unwrap(db)) as IDBDatabase;
  const names = [...raw.objectStoreNames].sort();
  if (names.length === 0) return {};
  const tx = raw.transaction(names, 'readonly');
  const schema: Record<string, StoreSchema> = {};
  for (const name of names) {
    const store = tx.objectStore(name);
    const indexes: Record<string, IndexSchema> = {};
    for (const i of [...store.indexNames].sort()) {
      const index = store.index(i);
      indexes[i] = { keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
    }
    schema[name] = { keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes };
  }
  return schema;
}

/**
 * Rebuilds the fixture's database under `name`: runs only the first `dbVersion` migrations of
 * today's code (migrations are append-only, so those are the ones that wrote it), then puts the
 * records. Keys are imported before any transaction opens.
 * @throws if a database of that name already exists at another version.
 */
export async function buildDbFromFixture(name: string, fixture: DbFixture): Promise<void> {
  const decoded = Object.entries(fixture.stores).map(async ([store, records]) => [store, (await decodeValue(records)) as unknown[]] as const);
  const stores = await Promise.all(decoded);
  const db = await openDB(name, fixture.dbVersion, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < fixture.dbVersion; v++) (MIGRATIONS[v] as (d: unknown, t: unknown) => void)(db, tx);
    },
  });
  try {
    for (const [store, records] of stores) {
      const tx = db.transaction(store as never, 'readwrite');
      for (const r of records) void tx.store.put(r as never);
      await tx.done;
    }
  } finally {
    db.close();
  }
}
