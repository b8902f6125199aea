/**
 * The approval queue: requests waiting for the user, kept in `storage.session` so a worker
 * restart loses none. A page's retried request (same origin, same page request id) finds its
 * approval again instead of opening another. Waiters live in memory; after a restart the
 * relay's replay re-attaches them.
 * @module
 */
import { limitExceeded, invalidParams } from '../../src/protocol/errors.js';
import type { ApprovalKind, ApprovalKinds, ApprovalView, PageFacts } from '../../src/protocol/extension-rpc.js';
import { originDomain } from '../../src/sites/registrable-domain.js';
import { SerialLock } from '../platform/serial.js';
import type { StorageArea } from '../platform/storage.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected';

/** An approval as stored: what the window shows, plus its state. */
export type ApprovalRecord = {
  [K in ApprovalKind]: Extract<ApprovalView, { kind: K }> & {
    /** origin + the page's request id: a replayed request maps to the same approval. */
    dedupeKey: string;
    status: ApprovalStatus;
    /** Set when approved: what approving produced (see `ApprovalKinds`). */
    result?: ApprovalKinds[K]['result'];
    decidedAt?: number;
    /** The page's title and icon when it asked, in its own words (`page-facts.ts`). */
    page?: PageFacts;
  };
}[ApprovalKind];

/** What a caller gives to queue an approval. */
export type ApprovalInput = Pick<ApprovalRecord, 'origin' | 'dedupeKey' | 'kind' | 'params' | 'page'>;

export type ApprovalOutcome = { status: 'approved'; result: NonNullable<ApprovalRecord['result']> } | { status: 'rejected' };

export interface QueueLimits {
  /** Pending approvals one origin may have at once. */
  perOrigin: number;
  /**
   * Pending approvals one registrable domain may have at once, over all its origins: subdomains
   * cost a site nothing to make, so without this one site could fill the whole queue.
   */
  perSite: number;
  /** Pending approvals in all. */
  total: number;
  /** How long a decided approval is kept for a replayed request to find, ms. */
  keepDecidedMs: number;
}

export const DEFAULT_LIMITS: QueueLimits = { perOrigin: 3, perSite: 6, total: 20, keepDecidedMs: 5 * 60_000 };
const KEY = 'approvals';

type Waiter = (record: ApprovalRecord) => void;

export class ApprovalQueue {
  readonly #waiters = new Map<string, Waiter[]>();
  readonly #lock = new SerialLock();

  constructor(
    private readonly area: StorageArea,
    private readonly limits: QueueLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Finds the approval for this (origin, page request) or queues a new one.
   * @throws ProviderRpcError -32005 when the origin, its registrable domain or the queue is full.
   */
  enqueue(input: ApprovalInput): Promise<{ record: ApprovalRecord; created: boolean }> {
    const site = siteOf(input.origin);
    return this.#update<{ record: ApprovalRecord; created: boolean }>((all) => {
      const existing = all.find((a) => a.dedupeKey === input.dedupeKey);
      if (existing) return { all, out: { record: existing, created: false } };
      const pending = all.filter((a) => a.status === 'pending');
      if (pending.filter((a) => a.origin === input.origin).length >= this.limits.perOrigin) {
        throw limitExceeded(`This site already has ${this.limits.perOrigin} Keyhold approvals waiting; answer those first.`);
      }
      if (pending.filter((a) => siteOf(a.origin) === site).length >= this.limits.perSite) {
        throw limitExceeded(`Sites of ${site} already have ${this.limits.perSite} Keyhold approvals waiting; answer those first.`);
      }
      if (pending.length >= this.limits.total) throw limitExceeded('Too many Keyhold approvals are waiting; answer those first.');
      const record = { ...input, id: crypto.randomUUID(), createdAt: this.now(), status: 'pending' } as ApprovalRecord;
      return { all: [...all, record], out: { record, created: true } };
    });
  }

  /** Pending approvals, oldest first. */
  async pending(): Promise<ApprovalRecord[]> {
    return (await this.#read()).filter((a) => a.status === 'pending');
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    return (await this.#read()).find((a) => a.id === id);
  }

  /**
   * Records the user's decision and wakes whoever waits on it.
   * @throws ProviderRpcError -32602 when no such approval is pending.
   */
  async settle(id: string, outcome: ApprovalOutcome): Promise<ApprovalRecord> {
    const record = await this.#update((all) => {
      const i = all.findIndex((a) => a.id === id && a.status === 'pending');
      const current = all[i];
      if (i < 0 || current === undefined) throw invalidParams('approvalId names no pending approval.');
      const settled = { ...current, ...outcome, decidedAt: this.now() } as ApprovalRecord;
      return { all: all.with(i, settled), out: settled };
    });
    this.#wake(record);
    return record;
  }

  /** Rejects every pending approval (the approval window was closed). */
  async rejectAll(): Promise<void> {
    const rejected = await this.#update((all) => {
      const t = this.now();
      const next = all.map((a) => (a.status === 'pending' ? { ...a, status: 'rejected' as const, decidedAt: t } : a));
      return { all: next, out: next.filter((a, i) => all[i]?.status === 'pending') };
    });
    rejected.forEach((r) => this.#wake(r));
  }

  /** Resolves once the approval is decided (at once if it already is). */
  async wait(record: ApprovalRecord): Promise<ApprovalRecord> {
    const current = await this.get(record.id);
    if (current && current.status !== 'pending') return current;
    return new Promise((resolve) => {
      const list = this.#waiters.get(record.id) ?? [];
      list.push(resolve);
      this.#waiters.set(record.id, list);
    });
  }

  #wake(record: ApprovalRecord): void {
    const list = this.#waiters.get(record.id);
    this.#waiters.delete(record.id);
    list?.forEach((w) => w(record));
  }

  async #read(): Promise<ApprovalRecord[]> {
    const stored = (await this.area.get(KEY))[KEY];
    const all = Array.isArray(stored) ? stored.filter(isApprovalRecord) : [];
    const cutoff = this.now() - this.limits.keepDecidedMs;
    return all.filter((a) => a.status === 'pending' || (a.decidedAt ?? 0) > cutoff);
  }

  /** Read-modify-write, one at a time, so concurrent requests never lose each other's writes. */
  #update<T>(change: (all: ApprovalRecord[]) => { all: ApprovalRecord[]; out: T }): Promise<T> {
    return this.#lock.run(async () => {
      const { all, out } = change(await this.#read());
      await this.area.set({ [KEY]: all });
      return out;
    });
  }
}

/** Every kind, so that a kind added to `ApprovalKinds` but not here fails to compile. */
const KINDS: { readonly [K in ApprovalKind]: true } = {
  createSession: true, connect: true, personalSign: true, signTypedData: true, createApiKey: true, switchChain: true, confirmSign: true,
};
const STATUSES: readonly unknown[] = ['pending', 'approved', 'rejected'] satisfies ApprovalStatus[];

/**
 * A stored approval, checked where it is read back (principle 2: a stored record is input too).
 * Its `params` were validated by the page API before they were queued, and only the worker
 * writes this key; what is checked here is the record's own shape, so a damaged or older record
 * is dropped (treated as absent, like a session record that fails) instead of trusted.
 */
function isApprovalRecord(v: unknown): v is ApprovalRecord {
  return typeof v === 'object' && v !== null &&
    'id' in v && typeof v.id === 'string' &&
    'origin' in v && typeof v.origin === 'string' &&
    'dedupeKey' in v && typeof v.dedupeKey === 'string' &&
    'createdAt' in v && typeof v.createdAt === 'number' &&
    'kind' in v && typeof v.kind === 'string' && Object.hasOwn(KINDS, v.kind) &&
    'status' in v && STATUSES.includes(v.status) &&
    'params' in v && typeof v.params === 'object' && v.params !== null &&
    (!('decidedAt' in v) || v.decidedAt === undefined || typeof v.decidedAt === 'number');
}

/** The registrable domain an origin counts against; an origin the list cannot read is its own. */
function siteOf(origin: string): string {
  try {
    return originDomain(origin);
  } catch {
    return origin;
  }
}
