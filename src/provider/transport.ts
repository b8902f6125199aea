/**
 * The page side of the page ⇄ relay hop. Every request made within one task is posted as one
 * window message, and answers come back in batches; a per-request id ties them together.
 * @module
 */
import { CHANNEL, type PageEvent, type PageRequest, type PageResponse, type ToRelayMessage } from '../protocol/envelope.js';
import { deserializeError, invalidParams, unauthorized, type SerializedError } from '../protocol/errors.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

export class WindowTransport {
  readonly #pending = new Map<string, Pending>();
  readonly #instance: string;
  #outbox: PageRequest[] = [];
  #next = 0;

  constructor(private readonly win: Window) {
    // Ids must stay unique across reloads of the same relay, so each page instance gets a prefix.
    const r = new Uint32Array(2);
    win.crypto.getRandomValues(r);
    this.#instance = `${r[0]!.toString(36)}${r[1]!.toString(36)}`;
    win.addEventListener('message', (event) => this.#onMessage(event));
  }

  send(method: string, params: unknown): Promise<unknown> {
    const id = `${this.#instance}.${(this.#next++).toString(36)}`;
    const request: PageRequest = params === undefined ? { id, method } : { id, method, params };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#outbox.push(request) === 1) queueMicrotask(() => this.#flush());
    });
  }

  #flush(): void {
    const requests = this.#outbox;
    this.#outbox = [];
    // `window.origin`, not `location.origin`: a page served with a CSP `sandbox` has an opaque
    // origin at a normal URL; its messages would go nowhere and its requests hang.
    if (this.win.origin === 'null' || this.win.location.origin === 'null') {
      const error = unauthorized('Keyhold does not serve pages with an opaque origin (sandboxed frames, data: URLs).').toJSON();
      for (const { id } of requests) this.#settle({ id, error });
      return;
    }
    try {
      this.#post(requests);
    } catch {
      // One uncloneable param (a function, a DOM node) must not sink the others: retry one by one.
      for (const request of requests) {
        try {
          this.#post([request]);
        } catch {
          this.#settle({ id: request.id, error: invalidParams('params must be cloneable data (no functions, DOM nodes or symbols).').toJSON() });
        }
      }
    }
  }

  #post(requests: PageRequest[]): void {
    const message: ToRelayMessage = { channel: CHANNEL, dir: 'to-keyhold', requests };
    this.win.postMessage(message, this.win.location.origin);
  }

  #onMessage(event: MessageEvent): void {
    if (event.source !== this.win || event.origin !== this.win.location.origin) return;
    const data = event.data as { channel?: unknown; dir?: unknown; responses?: unknown; events?: unknown } | null;
    if (!data || data.channel !== CHANNEL || data.dir !== 'to-page' || !Array.isArray(data.responses)) return;
    for (const response of data.responses as PageResponse[]) this.#settle(response);
    if (Array.isArray(data.events)) {
      for (const e of data.events as PageEvent[]) if (typeof e?.event === 'string') this.onEvent?.(e);
    }
  }

  /** Called with each EIP-1193 event the worker pushes; the provider emits it. */
  onEvent: ((event: PageEvent) => void) | undefined;

  #settle(response: PageResponse): void {
    const pending = this.#pending.get(response?.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    if ('error' in response) pending.reject(deserializeError(response.error as SerializedError));
    else pending.resolve(response.result);
  }
}
