/**
 * The live page ports, by origin, so the worker can push EIP-1193 events (`accountsChanged`,
 * `connect`, `disconnect`) to every open page of a site. Ports die with the worker; a page's
 * relay reconnects on its next request, so a page idle across a worker restart hears events
 * again from its next request on.
 * @module
 */
import type { FromWorkerMessage, PageEvent } from '../../src/protocol/envelope.js';

export interface EventPort {
  postMessage(message: FromWorkerMessage): void;
  onDisconnect: { addListener(cb: () => void): void };
}

export class PortRegistry {
  readonly #byOrigin = new Map<string, Set<EventPort>>();

  add(origin: string, port: EventPort): void {
    let set = this.#byOrigin.get(origin);
    if (!set) this.#byOrigin.set(origin, (set = new Set()));
    set.add(port);
    port.onDisconnect.addListener(() => {
      set.delete(port);
      if (set.size === 0 && this.#byOrigin.get(origin) === set) this.#byOrigin.delete(origin);
    });
  }

  /** Posts `events` to every port of `origin` (of every origin when `null`). */
  push(origin: string | null, events: PageEvent[]): void {
    if (events.length === 0) return;
    const sets = origin === null ? [...this.#byOrigin.values()] : [this.#byOrigin.get(origin) ?? new Set<EventPort>()];
    for (const set of sets) {
      for (const port of set) {
        try {
          port.postMessage({ responses: [], events });
        } catch {
          set.delete(port);
        }
      }
    }
  }

  /** How many ports `origin` has open (for tests). */
  count(origin: string): number {
    return this.#byOrigin.get(origin)?.size ?? 0;
  }
}
