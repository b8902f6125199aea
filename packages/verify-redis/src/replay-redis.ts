/**
 * A replay store on Redis for `@keyhold/verify` (it satisfies that package's `ReplayGuard`):
 * every process of a service claims request ids and login nonces in one shared Redis, so a
 * request accepted by one process is a replay at all the others.
 *
 * One round trip per claim: `SET <prefix><key> 1 NX PX <ttl>`. Redis answers `OK` when the key
 * was absent (first use → `true`) and nil when it exists (replay → `false`), atomically, so of
 * any number of concurrent claims exactly one wins. The key expires when the request's auth
 * window closes (ttl = `expiresAtMs − nowMs`, at least 1 ms), so nothing outlives its window
 * and the keyspace holds at most the requests of one window.
 *
 * Fail closed: any error, a disconnected client or no answer within `timeoutMs` rejects the
 * claim; the verifier then answers 503 `replay_store_unavailable`, never accepts.
 *
 * A Redis that restarts without its data (no persistence, a crash, a failover to an empty
 * replica) has forgotten the claims of the last window: a request accepted just before could be
 * accepted again. With `lossWindowMs` set, the guard notices: an *epoch* key (no TTL) is read on
 * every (re)connection ({@link RedisReplayGuard.sync}); when it is gone or changed, the guard
 * refuses every claim (fails closed) until `lossWindowMs` after the new epoch began, by when
 * every request claimed before the loss has expired.
 * @module
 */

/** What a claim sends: node-redis's `set` options for `NX PX`. */
export interface SetNxPxOptions {
  condition: 'NX';
  expiration: { type: 'PX'; value: number };
}

/**
 * The one command the store needs. A node-redis client (`createClient`) and a cluster client
 * (`createCluster`) both fit unchanged; for ioredis pass
 * `{ set: (k, v, o) => redis.set(k, v, 'PX', o.expiration.value, 'NX') }`.
 */
export interface RedisSetClient {
  set(key: string, value: string, options: SetNxPxOptions): Promise<unknown>;
}

/** What {@link RedisReplayGuard.sync} needs besides `set` (node-redis clients have both). */
export interface RedisEpochClient extends RedisSetClient {
  set(key: string, value: string, options: SetNxPxOptions | { condition: 'NX' }): Promise<unknown>;
  get(key: string): Promise<unknown>;
}

export interface RedisReplayGuardOptions {
  /** the connected client */
  client: RedisSetClient;
  /** prepended to every key (default `keyhold:replay:`); must not contain `{` or `}` (see {@link replayKey}) */
  prefix?: string;
  /** a claim not answered within this many ms fails (closed); default 2000 */
  timeoutMs?: number;
  /**
   * Detect a Redis that lost its data (see the module comment): the longest time from a claim
   * to its `expiresAtMs` that the verifier allows (window + clock skews: 70 000 for
   * `@keyhold/verify`'s defaults). When set, claims fail until {@link RedisReplayGuard.sync}
   * has run, so call it on every connection (`connectRedisReplayGuard` does).
   */
  lossWindowMs?: number;
  /** the verifier's clock for the epoch, Unix ms; default Date.now */
  clock?: () => number;
}

export const DEFAULT_PREFIX = 'keyhold:replay:';

/** Keys the verifier claims: 32 lower-case hex digits (a request id) or `login-nonce:<nonce>`. */
const CLAIM_KEY = /^(?:[0-9a-f]{32}|login-nonce:[\x21-\x7e]{1,256})$/;

/**
 * The Redis key of a claim: `<prefix><key>`, e.g. `keyhold:replay:0f1e…` or
 * `keyhold:replay:login-nonce:abc…`. Each claim is one single-key command, so in a Redis
 * Cluster any slot is fine and no hash tag is needed; the prefix may not carry one (`{…}`)
 * because that would pin every claim of the service to a single shard.
 * @throws RangeError for a key the verifier never claims (a bug, not a request)
 */
export function replayKey(prefix: string, key: string): string {
  if (!CLAIM_KEY.test(key)) throw new RangeError('not a request id or login nonce key');
  return prefix + key;
}

/** Redis-backed replay store: `SET NX PX`, one round trip, expiring with the auth window, fail closed. */
export class RedisReplayGuard {
  readonly prefix: string;
  readonly #client: RedisSetClient;
  readonly #timeoutMs: number;
  readonly #lossWindowMs: number | undefined;
  readonly #clock: () => number;
  /** the epoch seen at the last sync; undefined before the first */
  #epoch: string | undefined;
  /** false between a (re)connection and its sync, when data loss is watched */
  #synced: boolean;
  #quarantineUntilMs = 0;

  constructor({ client, prefix = DEFAULT_PREFIX, timeoutMs = 2000, lossWindowMs, clock = Date.now }: RedisReplayGuardOptions) {
    if (/[{}]/.test(prefix)) throw new RangeError('prefix must not contain a hash tag ({ or }): it would put every key in one cluster slot');
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive number');
    if (lossWindowMs !== undefined && !(Number.isFinite(lossWindowMs) && lossWindowMs > 0)) throw new RangeError('lossWindowMs must be a positive number');
    this.#client = client;
    this.prefix = prefix;
    this.#timeoutMs = timeoutMs;
    this.#lossWindowMs = lossWindowMs;
    this.#clock = clock;
    this.#synced = lossWindowMs === undefined;
  }

  /** The epoch key: `<prefix>epoch` (never a claim key: those are 32 hex digits or `login-nonce:…`). */
  get epochKey(): string {
    return `${this.prefix}epoch`;
  }

  /** Until when claims are refused after a detected data loss (Unix ms; 0 when none). */
  get quarantineUntilMs(): number {
    return this.#quarantineUntilMs;
  }

  /**
   * Marks the connection unchecked (claims fail) until {@link sync} completes; call when the
   * client reconnects, before `sync`.
   */
  unsync(): void {
    if (this.#lossWindowMs !== undefined) this.#synced = false;
  }

  /**
   * Reads (or starts) the data epoch: `SET <prefix>epoch <random>:<now> NX`, then `GET`. If an
   * epoch was seen before and this one differs, Redis lost its claims: refuse claims until
   * `lossWindowMs` after the new epoch began. The first sync of a process trusts what it finds.
   * @throws when Redis does not answer (claims stay refused)
   */
  async sync(client: RedisEpochClient = this.#client as RedisEpochClient): Promise<void> {
    if (this.#lossWindowMs === undefined) return;
    this.#synced = false;
    const mine = `${crypto.randomUUID()}:${this.#clock()}`;
    await client.set(this.epochKey, mine, { condition: 'NX' });
    const epoch = await client.get(this.epochKey);
    if (typeof epoch !== 'string') throw new Error('replay store: no epoch');
    if (this.#epoch !== undefined && epoch !== this.#epoch) {
      const began = Number(epoch.slice(epoch.lastIndexOf(':') + 1));
      this.#quarantineUntilMs = (Number.isFinite(began) ? began : this.#clock()) + this.#lossWindowMs;
    }
    this.#epoch = epoch;
    this.#synced = true;
  }

  /**
   * Claims `key` until `expiresAtMs` (see `@keyhold/verify`'s `ReplayGuard.claim`).
   * @returns true the first time, false for a replay
   * @throws when Redis fails, is disconnected or does not answer in time (the verifier answers 503)
   */
  async claim(key: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    if (!this.#synced) throw new Error('replay store: reconnected, epoch not checked yet');
    if (nowMs < this.#quarantineUntilMs) throw new Error('replay store: Redis lost its claims; refusing until every earlier request has expired');
    const ttlMs = Math.max(1, Math.ceil(expiresAtMs - nowMs));
    const redisKey = replayKey(this.prefix, key);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('replay store: no answer in time')), this.#timeoutMs);
    });
    try {
      const reply = await Promise.race([this.#client.set(redisKey, '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }), timeout]);
      if (reply === 'OK') return true;
      if (reply === null) return false;
      throw new Error('replay store: unexpected reply to SET NX');
    } finally {
      clearTimeout(timer);
    }
  }
}
