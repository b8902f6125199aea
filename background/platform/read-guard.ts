/**
 * Reads that fill a cache while writes may land, as the session store and the policy enforcer
 * both do. A read may resolve after a write of the same key (a revocation while a read-ahead was
 * in flight): each read in flight collects the keys written since it began, so it can leave
 * those to their writer and never cache what a write replaced or removed. And the one read-ahead
 * of a start, which a first use waits for rather than reading the same record again.
 * @module
 */
export class ReadGuard {
  /** Per read in flight, the keys written since it began. */
  readonly #reads = new Set<Set<string>>();
  #ahead: Promise<void> | undefined;

  /**
   * Calls `fill` with what `read` yields and the keys written since this call, then forgets them.
   * Call it as the read is issued, so no write between the two goes unseen.
   */
  async fill<T, R>(read: Promise<T>, fill: (value: T, written: ReadonlySet<string>) => R): Promise<R> {
    const written = new Set<string>();
    this.#reads.add(written);
    try {
      return fill(await read, written);
    } finally {
      this.#reads.delete(written);
    }
  }

  /** Marks `key` written on every read in flight; call it before the write touches the cache. */
  written(key: string): void {
    for (const written of this.#reads) written.add(key);
  }

  /** Records `work` as the read-ahead in flight, until it settles; returns `work`. */
  ahead<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#ahead = settled;
    void settled.then(() => {
      if (this.#ahead === settled) this.#ahead = undefined;
    });
    return work;
  }

  /** The read-ahead in flight, which never rejects; undefined when there is none. */
  get pending(): Promise<void> | undefined {
    return this.#ahead;
  }
}
