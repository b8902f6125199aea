/**
 * Fakes shared by the unit tests: an in-memory `storage.session`, runtime ports for both ends,
 * a window for the relay, worker deps over fake-indexeddb, and a node:crypto verifier that
 * checks signatures without the code under test.
 * @module
 */
import { AuditLog } from '../../background/audit/log.js';
import type { HttpAnswer, HttpClient } from '../../background/services/http.js';
import { Revocations } from '../../background/services/revocations.js';
import 'fake-indexeddb/auto';
import { createPublicKey, verify } from 'node:crypto';
import type { Runtime } from 'webextension-polyfill';
import { ApprovalQueue, DEFAULT_LIMITS, type QueueLimits } from '../../background/approvals/queue.js';
import type { StorageArea } from '../../background/platform/storage.js';
import { openKeyholdDb, type KeyholdDb, type SessionRecord } from '../../background/db.js';
import type { WorkerDeps } from '../../background/deps.js';
import type { PortLike } from '../../background/router/page-port.js';
import { generateSessionKey } from '../../background/sessions/keys.js';
import { SessionStore } from '../../background/sessions/store.js';
import { PolicyEnforcer } from '../../background/policy/enforcer.js';
import { PolicyStates } from '../../background/policy/state-store.js';
import type { ServiceDescriptor } from '../../src/protocol/descriptor.js';
import { StorageCheck, type StorageManagerLike } from '../../background/storage/check.js';
import { Vault } from '../../background/vault/vault.js';
import { lockAnnouncer } from '../../background/wallet/lock-events.js';
import { Permissions } from '../../background/wallet/permissions.js';
import type { PageEvent, FromWorkerMessage, PageResponse, ToWorkerMessage } from '../../src/protocol/envelope.js';
import type { ExtensionEvent } from '../../src/protocol/extension-rpc.js';
import { uuidToString, uuidv7 } from '../../src/wire/uuidv7.js';

// ---- storage ----

/** `storage.session` in memory: values are deep-copied both ways, as the real one does. */
export class MemoryArea implements StorageArea {
  readonly map = new Map<string, unknown>();
  sets = 0;
  async get(key: string): Promise<Record<string, unknown>> {
    return this.map.has(key) ? { [key]: structuredClone(this.map.get(key)) } : {};
  }
  async set(items: Record<string, unknown>): Promise<void> {
    this.sets++;
    for (const [k, v] of Object.entries(items)) this.map.set(k, structuredClone(v));
  }
  async remove(key: string): Promise<void> {
    this.map.delete(key);
  }
  /** A deep copy of everything stored, to compare before and after. */
  snapshot(): unknown {
    return structuredClone([...this.map.entries()]);
  }
}

let dbCounter = 0;
/** A database name no other test uses. */
export const uniqueDbName = (prefix = 'keyhold-test'): string => `${prefix}-${process.pid}-${++dbCounter}-${Math.random()}`;

// ---- sessions ----

export const ORIGIN_A = 'https://a.example';
export const ORIGIN_B = 'https://b.example';
export const T0 = Date.UTC(2025, 0, 1);
/** The extension origin the fake worker runs under. */
export const EXTENSION_ORIGIN = 'chrome-extension://keyholdtestextensionidaaaaaaaaaa';

/** A fresh session record with a real non-extractable key; override any field. */
export async function makeSessionRecord(over: Partial<SessionRecord> = {}): Promise<SessionRecord> {
  const key = await generateSessionKey();
  const createdAt = over.createdAt ?? T0;
  return {
    id: uuidToString(uuidv7(createdAt)),
    origin: ORIGIN_A,
    publicKey: key.publicKey,
    privateKey: key.privateKey,
    role: 'TRADING_ONLY',
    subaccountIndex: null,
    requestTypes: null,
    label: null,
    createdAt,
    validUntil: createdAt + 3_600_000,
    ...over,
  };
}

/** Verifies an Ed25519 signature with node:crypto against a raw 32-byte public key. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  return verify(null, message, key, signature);
}

export const b64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'base64'));
export const toB64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** Every path inside `value` that holds a CryptoKey (empty when there is none). */
export function cryptoKeyPaths(value: unknown, path = '$', seen = new Set<unknown>()): string[] {
  if (value instanceof CryptoKey) return [path];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  const out: string[] = [];
  for (const k of Reflect.ownKeys(value)) {
    out.push(...cryptoKeyPaths((value as Record<PropertyKey, unknown>)[k], `${path}.${String(k)}`, seen));
  }
  return out;
}

// ---- worker ----

/**
 * `navigator.storage` as a browser reports it. By default best-effort, as Chromium reports it
 * to an extension without `unlimitedStorage`: usage plus 10 GiB, not persisted, and no
 * `persist()` (a service worker has none); set `persist` to offer one.
 */
export class FakeStorageManager implements StorageManagerLike {
  usage: number | undefined = 204_870;
  quota: number | undefined = 204_870 + 10 * 2 ** 30;
  isPersisted = false;
  estimates = 0;
  persist?: () => Promise<boolean>;
  async estimate(): Promise<{ quota?: number; usage?: number }> {
    this.estimates++;
    return { ...(this.quota !== undefined && { quota: this.quota }), ...(this.usage !== undefined && { usage: this.usage }) };
  }
  async persisted(): Promise<boolean> {
    return this.isPersisted;
  }
}

/** A scripted service: records every call and answers with `respond` (default: 200 `{}`). */
export class FakeHttp implements HttpClient {
  readonly calls: Array<{ url: string; json: unknown; headers: Record<string, string> }> = [];
  respond: (url: string, json: unknown, headers: Record<string, string>) => HttpAnswer | Promise<HttpAnswer> = () => ({ status: 200, body: {} });
  async post(url: string, json: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    this.calls.push({ url, json, headers });
    return this.respond(url, json, headers);
  }
}

export interface TestDeps extends WorkerDeps {
  /** What each fake service's /.well-known/keyhold.json holds. */
  serviceDescriptors: Map<string, ServiceDescriptor>;
  db: KeyholdDb;
  area: MemoryArea;
  showCalls: number;
  clock: { now: number };
  fakeHttp: FakeHttp;
  /** The times the revocation alarm was armed for. */
  scheduled: Array<number | undefined>;
  /** Every broadcast to Keyhold's own pages, in order. */
  told: ExtensionEvent[];
  /** Every EIP-1193 event pushed to pages (origin null: to every site's). */
  pushed: Array<{ origin: string | null; events: PageEvent[] }>;
  /** What the storage check reads; `grants.unlimitedStorage` is the permission's answer. */
  storageManager: FakeStorageManager;
  grants: { unlimitedStorage: boolean };
}

/** Real worker deps over fake-indexeddb and an in-memory area; effects are recorded. */
export async function makeDeps(opts: { dbName?: string; area?: MemoryArea; clock?: { now: number }; limits?: QueueLimits; http?: FakeHttp; vaultIterations?: number; onTerminated?: () => void } = {}): Promise<TestDeps> {
  const db = await openKeyholdDb(opts.dbName ?? uniqueDbName(), opts.onTerminated);
  const area = opts.area ?? new MemoryArea();
  const clock = opts.clock ?? { now: T0 };
  const fakeHttp = opts.http ?? new FakeHttp();
  const scheduled: Array<number | undefined> = [];
  const storageManager = new FakeStorageManager();
  const grants = { unlimitedStorage: false };
  const audit = new AuditLog(db, 0);
  const deps: TestDeps = {
    db,
    area,
    clock,
    fakeHttp,
    scheduled,
    http: fakeHttp,
    audit,
    revocations: new Revocations({ db, http: fakeHttp, now: () => clock.now, schedule: (when) => void scheduled.push(when), changed: () => undefined }),
    showCalls: 0,
    sessions: new SessionStore(db),
    policies: new PolicyEnforcer(new PolicyStates(db), () => clock.now),
    // No service publishes a descriptor unless a test says so.
    descriptors: { forService: async (baseUrl) => deps.serviceDescriptors.get(baseUrl) ?? null },
    serviceDescriptors: new Map(),
    approvals: new ApprovalQueue(area, opts.limits ?? DEFAULT_LIMITS, () => clock.now),
    closeApprovalsIfIdle: async () => (await deps.approvals.pending()).length === 0,
    showApprovals: async () => {
      deps.showCalls++;
    },
    told: [],
    tellExtensionPages: (event) => void deps.told.push(event),
    schedulePurge: () => undefined,
    now: () => clock.now,
    // The whole worker is already built: the signing deps and the rest are one object here.
    full: async () => deps,
    extensionOrigin: EXTENSION_ORIGIN,
    // Few KDF iterations: unit tests exercise the vault's logic, test/unit/vault.test.ts its parameters.
    vault: new Vault({ db, area, now: () => clock.now, iterations: opts.vaultIterations ?? 1_000, onChange: lockAnnouncer(() => deps) }),
    permissions: new Permissions(db),
    pushed: [],
    pushToSite: (origin, events) => void deps.pushed.push({ origin, events }),
    // Recorded with origin null: every site's pages.
    pushToEverySite: (events) => void deps.pushed.push({ origin: null, events }),
    storageManager,
    grants,
    storage: new StorageCheck({
      storage: storageManager,
      hasUnlimitedStorage: async () => grants.unlimitedStorage,
      audit,
      area,
      origin: EXTENSION_ORIGIN,
      now: () => clock.now,
    }),
  };
  return deps;
}

/** The worker's end of a page port. */
export class FakeWorkerPort implements PortLike {
  readonly posted: FromWorkerMessage[] = [];
  readonly #onMessage: ((m: unknown) => void)[] = [];
  readonly #onDisconnect: (() => void)[] = [];
  #waiters: (() => void)[] = [];
  onMessage = { addListener: (cb: (m: unknown) => void) => void this.#onMessage.push(cb) };
  onDisconnect = { addListener: (cb: () => void) => void this.#onDisconnect.push(cb) };
  postMessage(message: FromWorkerMessage): void {
    this.posted.push(structuredClone(message));
    const w = this.#waiters;
    this.#waiters = [];
    w.forEach((f) => f());
  }
  /** The relay sends a message. */
  send(message: ToWorkerMessage | unknown): void {
    this.#onMessage.forEach((cb) => cb(message));
  }
  disconnect(): void {
    this.#onDisconnect.forEach((cb) => cb());
  }
  /** Resolves once at least `count` messages were posted. */
  async waitFor(count: number, timeoutMs = 5_000): Promise<FromWorkerMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.posted.length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} port messages (got ${this.posted.length})`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
    return this.posted;
  }
  /** Every response posted so far, across messages. */
  responses(): PageResponse[] {
    return this.posted.flatMap((m) => m.responses);
  }
}

/** Lets pending timers, IndexedDB callbacks and microtasks run. */
export const settle = (ms = 10): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- relay ----

/** The relay's end of a runtime port. */
export class FakeRuntimePort {
  readonly posted: unknown[] = [];
  readonly #onMessage: ((m: unknown) => void)[] = [];
  readonly #onDisconnect: (() => void)[] = [];
  throwOnPost = false;
  onMessage = { addListener: (cb: (m: unknown) => void) => void this.#onMessage.push(cb) };
  onDisconnect = { addListener: (cb: () => void) => void this.#onDisconnect.push(cb) };
  postMessage(message: unknown): void {
    if (this.throwOnPost) throw new Error('Attempting to use a disconnected port object');
    this.posted.push(structuredClone(message));
  }
  /** The worker answers. */
  reply(message: FromWorkerMessage): void {
    this.#onMessage.forEach((cb) => cb(message));
  }
  /** The worker went away. */
  drop(): void {
    this.#onDisconnect.forEach((cb) => cb());
  }
  asPort(): Runtime.Port {
    return this as unknown as Runtime.Port;
  }
}

export interface FakeMessageEvent {
  source: unknown;
  origin: string;
  data: unknown;
}

/** A window for the relay: message listeners, `location.origin`, recorded `postMessage`. */
export class FakeWindow {
  readonly location: { origin: string };
  readonly posted: { message: unknown; targetOrigin: string }[] = [];
  readonly #listeners: ((e: FakeMessageEvent) => void)[] = [];
  constructor(origin = ORIGIN_A) {
    this.location = { origin };
  }
  addEventListener(type: string, cb: (e: FakeMessageEvent) => void): void {
    if (type === 'message') this.#listeners.push(cb);
  }
  postMessage(message: unknown, targetOrigin: string): void {
    this.posted.push({ message: structuredClone(message), targetOrigin });
  }
  /** Delivers a message event to the window's listeners. */
  dispatch(e: FakeMessageEvent): void {
    this.#listeners.forEach((cb) => cb(e));
  }
  asWindow(): Window {
    return this as unknown as Window;
  }
}

/** Polls `cond` until it holds. */
export async function until(cond: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
