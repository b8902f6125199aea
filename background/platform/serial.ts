/**
 * One task at a time: a read-modify-write on `storage.session` or IndexedDB that must not
 * interleave with another (two approvals queued together, a lock and an unlock, two windows
 * opened by two requests).
 * @module
 */

export class SerialLock {
  #tail: Promise<unknown> = Promise.resolve();

  /**
   * Runs `task` once every task handed in before it has settled. A task that fails fails its
   * own caller only; the next still runs.
   */
  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined); // The caller gets the error from `run`.
    return run;
  }
}
