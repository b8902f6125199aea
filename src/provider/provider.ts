/**
 * The EIP-1193 provider object a page sees. It holds nothing secret: it forwards requests and
 * hands back answers.
 * @module
 */
import { invalidParams } from '../protocol/errors.js';
import type { PageMethod } from '../protocol/page-api.js';
import type { KeyholdProviderApi, PageRequestArgs, PageRequestResult } from '../protocol/page-requests.js';
import { inheritedField } from './plain-data.js';
import type { WindowTransport } from './transport.js';

type Listener = (...args: unknown[]) => void;

export class KeyholdProvider implements KeyholdProviderApi {
  readonly isKeyhold = true;
  readonly #transport: WindowTransport;
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(transport: WindowTransport) {
    this.#transport = transport;
    transport.onEvent = ({ event, data }) => this.emit(event, data);
  }

  /**
   * EIP-1193 `request`, typed per method (`page-requests.ts`). Pages in plain JavaScript may
   * pass anything: the worker validates it and answers the documented errors. Rejects with a
   * `ProviderRpcError`.
   */
  request<M extends PageMethod>(args: PageRequestArgs<M>): Promise<PageRequestResult<M>> {
    const raw = args as { method?: unknown; params?: unknown } | null;
    if (typeof raw !== 'object' || raw === null || typeof raw.method !== 'string' || raw.method === '') {
      return Promise.reject(invalidParams('request() takes {method, params?} with a non-empty string method.'));
    }
    const inherited = inheritedField(raw.params);
    if (inherited !== null) {
      // Structured clone copies own fields only: refuse what the worker would never see.
      return Promise.reject(invalidParams(`${inherited} is inherited (an __proto__ member), so it would be lost on the way to Keyhold; make it an own field.`));
    }
    // The worker is the authority on the answer's shape: it is the result of this method.
    return this.#transport.send(raw.method, raw.params) as Promise<PageRequestResult<M>>;
  }

  on(event: string, listener: Listener): this {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  removeListener(event: string, listener: Listener): this {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  /** Alias of {@link removeListener}, as libraries built on Node's EventEmitter expect. */
  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        listener(...args);
      } catch (err) {
        queueMicrotask(() => { throw err; });
      }
    }
  }
}
