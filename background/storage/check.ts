/**
 * The storage check at every worker start: asks for persistent storage where the browser offers
 * it, reads what the browser grants (quota, persistence), judges it (`verdict.ts`), and when
 * the storage is still evictable records it in the activity log — once per browser run, so a
 * worker that restarts every minute does not crowd signatures out of the bounded log — for the
 * popup's warning to explain. Evicted, Keyhold would lose the vault, every session and the
 * revocations still owed to services, so this is never silent.
 * @module
 */
import type { StorageStatusView } from '../../src/protocol/extension-rpc.js';
import { logAt } from '../platform/log.js';
import type { StorageArea } from '../platform/storage.js';
import { storageEntry } from '../audit/entries.js';
import type { AuditLog } from '../audit/log.js';
import { byteCount, judgeStorage, type StorageFacts } from './verdict.js';

/**
 * The slice of `navigator.storage` the check uses. `persist` exists only in windows (Firefox's
 * event page, extension pages), not in Chromium's service worker.
 */
export interface StorageManagerLike {
  estimate(): Promise<{ quota?: number; usage?: number }>;
  persisted?(): Promise<boolean>;
  persist?(): Promise<boolean>;
}

export interface StorageCheckDeps {
  /** `navigator.storage`; undefined where the browser has none. */
  storage: StorageManagerLike | undefined;
  /** Whether the browser granted the `unlimitedStorage` permission. */
  hasUnlimitedStorage: () => Promise<boolean>;
  audit: AuditLog;
  /** `storage.session`: remembers that this browser run's evictable storage was logged. */
  area: StorageArea;
  /** Keyhold's own origin, named by the activity entry. */
  origin: string;
  now: () => number;
  /** How long to wait for `persist()`, which may wait on a prompt the user never sees. */
  persistTimeoutMs?: number;
}

/** The `storage.session` key set once the evictable storage was logged in this browser run. */
export const LOGGED_KEY = 'storageEvictableLogged';
export const PERSIST_TIMEOUT_MS = 5_000;

/** The value, or null when the call is missing, fails or outlasts `timeoutMs`. */
async function settle<T>(call: (() => Promise<T>) | undefined, timeoutMs?: number): Promise<T | null> {
  if (call === undefined) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((ok) => {
    if (timeoutMs !== undefined) timer = setTimeout(() => ok(null), timeoutMs);
  });
  try {
    return await Promise.race([call(), late]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

async function readFacts(d: StorageCheckDeps): Promise<StorageFacts> {
  const s = d.storage;
  const [estimate, persisted, unlimitedStorage] = await Promise.all([
    settle(s && (() => s.estimate())),
    settle(s?.persisted && (() => s.persisted?.() ?? Promise.resolve(false))),
    d.hasUnlimitedStorage().catch(() => false),
  ]);
  return {
    quota: byteCount(estimate?.quota),
    usage: byteCount(estimate?.usage),
    persisted: typeof persisted === 'boolean' ? persisted : null,
    unlimitedStorage,
  };
}

export class StorageCheck {
  #latest: Promise<StorageStatusView> | undefined;

  constructor(private readonly d: StorageCheckDeps) {}

  /** This worker start's result, checking first if nothing has asked yet. */
  status(): Promise<StorageStatusView> {
    return (this.#latest ??= this.#run());
  }

  /** Checks again now (the popup's "Check again"), after any check still running. */
  recheck(): Promise<StorageStatusView> {
    const previous = this.#latest ?? Promise.resolve();
    const run = () => this.#run();
    return (this.#latest = previous.then(run, run));
  }

  async #run(): Promise<StorageStatusView> {
    const d = this.d;
    let facts = await readFacts(d);
    const persist = d.storage?.persist;
    if (facts.persisted !== true && persist) {
      // Where the browser offers persistent storage, ask; then read what it granted.
      await settle(() => persist.call(d.storage), d.persistTimeoutMs ?? PERSIST_TIMEOUT_MS);
      facts = await readFacts(d);
    }
    const verdict = judgeStorage(facts);
    const checkedAt = d.now();
    await this.#log(verdict.state === 'evictable', checkedAt).catch(logAt('storage check log'));
    return { ...verdict, ...facts, checkedAt };
  }

  /** Records evictable storage once per browser run; forgets it once the storage is persistent. */
  async #log(evictable: boolean, at: number): Promise<void> {
    const logged = (await this.d.area.get(LOGGED_KEY))[LOGGED_KEY] === true;
    if (evictable && !logged) {
      this.d.audit.record(storageEntry(this.d.origin, at));
      await this.d.area.set({ [LOGGED_KEY]: true });
    } else if (!evictable && logged) {
      await this.d.area.set({ [LOGGED_KEY]: false });
    }
  }
}
