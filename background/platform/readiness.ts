/**
 * The worker's readiness gate. Every event waits on one start (open the database, build the
 * stores); a start that failed is not cached: it is logged, whoever waited on it is answered
 * (pages get 4900), and the next event starts again. A start whose database the browser closed
 * (`terminated`) is dropped the same way.
 *
 * uBlock Origin reloads its extension once after a failed start; Keyhold does not: a reload
 * cuts every open tab's content script off its worker for good (their relays then fail every
 * request with 4900 until the tab reloads), while starting again costs one `indexedDB.open`.
 * @module
 */
import { disconnected, type ProviderRpcError } from '../../src/protocol/errors.js';
import { logError } from './log.js';

/** What a request waiting on a failed start is answered (4900): the page may send it again. */
export const notStarted = (): ProviderRpcError =>
  disconnected('Keyhold could not start (its storage did not open); send the request again.');

export class Readiness<T> {
  #current: Promise<T> | null = null;

  constructor(private readonly start: () => Promise<T>) {}

  /** What the start built; starts it if nothing started yet or the last start failed. */
  get(): Promise<T> {
    if (this.#current) return this.#current;
    const attempt = this.start();
    this.#current = attempt;
    attempt.catch((err: unknown) => {
      logError('worker start', err);
      if (this.#current === attempt) this.#current = null;
    });
    return attempt;
  }

  /** Forgets what the start built (its database connection closed): the next event starts afresh. */
  reset(): void {
    this.#current = null;
  }
}
