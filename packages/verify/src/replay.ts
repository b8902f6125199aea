/**
 * Replay protection (`spec/signing.md` §7 step 6): each request id is accepted once. A
 * {@link ReplayGuard} is the store that remembers them; {@link MemoryReplayGuard} is the default
 * for one process.
 *
 * What a store MUST guarantee, so that a request can never be accepted twice:
 * 1. **Atomic first use.** `claim` records the key and says whether it was new in one step: of
 *    any number of concurrent claims of one key, across every verifier instance that shares the
 *    store, exactly one resolves `true`.
 * 2. **Memory for long enough.** A claimed key is remembered at least until `expiresAtMs` (the
 *    payload's `expires_at_ms` plus the verifier's clock skew). It may be remembered longer;
 *    after that the auth window rejects the request anyway.
 * 3. **Fail closed.** When the store cannot answer, `claim` rejects (throws); the verifier then
 *    refuses the request (503 `replay_store_unavailable`) instead of accepting it unchecked.
 *
 * Redis meets all three in one round trip: `SET <prefix><key> 1 NX PX <expiresAtMs − nowMs>`
 * answers `OK` for the first claim (→ `true`) and nil for a repeat (→ `false`).
 * @module
 */
import { VerifyError } from './errors.js';

export interface ReplayGuard {
  /**
   * Claims `key` until `expiresAtMs`.
   * @param key - what must be used once, service-wide: a request id as lower-case hex (32
   *   characters), or `login-nonce:<nonce>` for a login
   * @param expiresAtMs - Unix ms until which the key must be remembered (> nowMs)
   * @param nowMs - the verifier's clock, Unix ms
   * @returns true when the key was not claimed before (the request may proceed), false for a replay
   * @throws when the store cannot answer (the verifier fails closed)
   */
  claim(key: string, expiresAtMs: number, nowMs: number): boolean | Promise<boolean>;
}

export interface MemoryReplayGuardOptions {
  /** At most this many ids are kept (default 1,000,000, about 100 MB at worst); past it, claims fail closed. */
  maxEntries?: number;
}

/**
 * Remembers request ids in this process's memory. Right for one process; several instances
 * behind a load balancer need a shared store (see {@link ReplayGuard}).
 */
export class MemoryReplayGuard implements ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #maxEntries: number;
  #nextPruneMs = 0;

  constructor({ maxEntries = 1_000_000 }: MemoryReplayGuardOptions = {}) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.#maxEntries = maxEntries;
  }

  /** How many ids are remembered now. */
  get size(): number {
    return this.#seen.size;
  }

  claim(key: string, expiresAtMs: number, nowMs: number): boolean {
    if (nowMs >= this.#nextPruneMs || this.#seen.size >= this.#maxEntries) this.#prune(nowMs);
    const known = this.#seen.get(key);
    if (known !== undefined && known >= nowMs) return false;
    if (known === undefined && this.#seen.size >= this.#maxEntries) {
      throw new VerifyError(503, 'replay_store_full', 'too many requests in the replay window; try again shortly');
    }
    this.#seen.set(key, expiresAtMs);
    return true;
  }

  #prune(nowMs: number): void {
    this.#nextPruneMs = nowMs + 10_000;
    for (const [key, expires] of this.#seen) if (expires < nowMs) this.#seen.delete(key);
  }
}
