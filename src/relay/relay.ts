/**
 * The content-script relay (isolated world): a pipe with no logic of its own between the page
 * and the worker. It accepts a window message only from this very window, from this page's
 * origin, carrying Keyhold's channel tag, and forwards it over a long-lived runtime port. When
 * the worker restarts the port drops: the relay reconnects and replays what was in flight, so
 * no page request hangs; a request it cannot deliver fails with 4900, and so does one that
 * waits on nobody but has no answer after {@link ANSWER_TIMEOUT_MS} (one to two of it).
 * @module
 */
import type { Runtime } from 'webextension-polyfill';
import { fieldsOf } from '../protocol/fields.js';
import { CHANNEL, type FromWorkerMessage, type PageRequest, type PageResponse, type ToPageMessage, type ToRelayMessage } from '../protocol/envelope.js';
import { disconnected, invalidParams, limitExceeded } from '../protocol/errors.js';
import { nestsWithin } from '../protocol/nesting.js';
import { MAX_SENDS_IN_FLIGHT, UNBATCHED_METHODS } from '../protocol/page-api.js';

/** Requests in flight per page; past it, new ones are refused at once instead of piling up. */
export const MAX_IN_FLIGHT = 20_000;
/**
 * Of those, `keyhold_send` requests (bodies up to 64 KiB, each held until its service answers):
 * the worker's per-origin bound, so a page never pushes more of them at the worker than it takes.
 */
export { MAX_SENDS_IN_FLIGHT };
const SEND = 'keyhold_send';
/** Reconnect attempts in a row without an answer before in-flight requests fail with 4900. */
export const MAX_RECONNECTS = 5;
/** Longest request id the relay carries; the worker enforces the rest. */
const MAX_ID_LENGTH = 64;
/**
 * A request that waits on nobody (a signature, a list: not one of `UNBATCHED_METHODS`, which
 * wait on the user or a service) and has no answer after one to two of these fails with 4900:
 * a worker that took it and hung never leaves the page waiting for good. Requests that wait on
 * the user are never timed out here: an approval may take as long as the user takes.
 */
export const ANSWER_TIMEOUT_MS = 30_000;

export interface RelayDeps {
  win: Window;
  connect: () => Runtime.Port;
  /** Schedules a reconnect; tests make it immediate. */
  later: (fn: () => void, ms: number) => void;
  /** Schedules the answer-timeout sweep ({@link ANSWER_TIMEOUT_MS}); absent, nothing times out. */
  tick?: (fn: () => void, ms: number) => void;
}

export class Relay {
  readonly #inFlight = new Map<string, PageRequest>();
  /** Ids of the `keyhold_send` requests among {@link #inFlight}. */
  readonly #sends = new Set<string>();
  #port: Runtime.Port | null = null;
  #failedReconnects = 0;
  /** Timed requests sent since the last sweep, and those already seen by one: the next sweep fails these. */
  #young = new Set<string>();
  #old = new Set<string>();
  #ticking = false;

  constructor(private readonly deps: RelayDeps) {
    deps.win.addEventListener('message', (event) => this.#onWindowMessage(event));
  }

  #onWindowMessage(event: MessageEvent): void {
    const { win } = this.deps;
    // The identity check holds in Firefox's isolated world too: Firefox keeps one Xray wrapper
    // per object per compartment, so `event.source` for this window is the very object `win`
    // is (test/e2e-firefox checks it both ways: own window accepted, another window refused).
    if (event.source !== win || event.origin !== win.location.origin) return;
    const data: unknown = event.data;
    if (typeof data !== 'object' || data === null) return;
    const { channel, dir, requests } = fieldsOf<ToRelayMessage>(data);
    if (channel !== CHANNEL || dir !== 'to-keyhold' || !Array.isArray(requests)) return;
    const accepted: PageRequest[] = [];
    const refused: PageResponse[] = [];
    const list: unknown[] = requests;
    for (const request of list) {
      if (typeof request !== 'object' || request === null) continue;
      const { id, method } = fieldsOf<PageRequest>(request);
      // Without a usable id there is nobody to answer: drop it.
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || this.#inFlight.has(id)) continue;
      if (this.#inFlight.size >= MAX_IN_FLIGHT) {
        refused.push({ id, error: limitExceeded(`Too many Keyhold requests in flight (at most ${MAX_IN_FLIGHT}).`).toJSON() });
        continue;
      }
      if (!nestsWithin(request, MAX_NESTING, MAX_NODES)) {
        // Structured-clone messaging (Firefox, Chromium 148+) carries what JSON would refuse,
        // and a receiver that cannot rebuild a very deep value drops the whole message
        // silently: every request in it would wait forever. Refused here, where it is cheap.
        refused.push({ id, error: invalidParams(`request nests deeper than ${MAX_NESTING} levels or holds more than ${MAX_NODES} values.`).toJSON() });
        continue;
      }
      const isSend = method === SEND;
      if (isSend && this.#sends.size >= MAX_SENDS_IN_FLIGHT) {
        refused.push({ id, error: limitExceeded(`Too many keyhold_send requests in flight (at most ${MAX_SENDS_IN_FLIGHT}); wait for their answers.`).toJSON() });
        continue;
      }
      if (isSend) this.#sends.add(id);
      // Carried as the page sent it: the worker validates everything but the id.
      const carried = request as PageRequest;
      this.#inFlight.set(id, carried);
      this.#timeIfNonInteractive(id, method);
      accepted.push(carried);
    }
    if (refused.length) this.#toPage(refused);
    if (accepted.length) this.#send(accepted);
  }

  #send(requests: PageRequest[]): void {
    const fresh = this.#port === null;
    try {
      if (this.#port) {
        this.#port.postMessage({ requests });
      } else {
        // A fresh port: what was in flight on a dead one goes too (`requests` are in #inFlight
        // already); a reconnect still scheduled then finds the port up and stands down.
        this.#port = this.#open();
        this.#port.postMessage({ requests: [...this.#inFlight.values()] });
      }
    } catch {
      // Chromium before 148 carries port messages as JSON (148+ clones them, as Keyhold's
      // manifest asks, and as Firefox does), so there one request holding a cycle or a BigInt
      // makes the whole post throw: refuse just those and send the rest (all that is in flight
      // on a new port). Otherwise the port died under us: the disconnect handler replays, or we
      // fail now if it cannot.
      const uncarried = requests.filter((r) => !jsonCarries(r));
      if (uncarried.length) {
        for (const { id } of uncarried) this.#forget(id);
        const error = invalidParams('params must be JSON data: no cycles, no BigInt.').toJSON();
        this.#toPage(uncarried.map(({ id }) => ({ id, error })));
        const rest = fresh ? [...this.#inFlight.values()] : requests.filter((r) => this.#inFlight.has(r.id));
        if (rest.length) this.#send(rest);
        return;
      }
      this.#port = null;
      this.#reconnect();
    }
  }

  #open(): Runtime.Port {
    const port = this.deps.connect();
    port.onMessage.addListener((message: unknown) => this.#onWorkerMessage(message as FromWorkerMessage));
    port.onDisconnect.addListener(() => {
      if (this.#port === port) this.#port = null;
      // Connect again only when something waits; otherwise the next request connects lazily,
      // so an idle page does not keep the worker alive.
      if (this.#inFlight.size) this.#reconnect();
    });
    return port;
  }

  #reconnect(): void {
    if (this.#failedReconnects >= MAX_RECONNECTS) {
      this.#failAll();
      return;
    }
    const delay = this.#failedReconnects === 0 ? 0 : 50 * 2 ** this.#failedReconnects;
    this.#failedReconnects++;
    this.deps.later(() => {
      if (this.#port || !this.#inFlight.size) return;
      try {
        this.#port = this.#open();
        this.#port.postMessage({ requests: [...this.#inFlight.values()] });
      } catch {
        // The extension was reloaded or removed: this content script is orphaned for good.
        this.#port = null;
        this.#failAll();
      }
    }, delay);
  }

  #failAll(): void {
    const error = disconnected('Keyhold restarted and could not finish this request; send it again.').toJSON();
    const responses = [...this.#inFlight.keys()].map((id) => ({ id, error }));
    this.#inFlight.clear();
    this.#sends.clear();
    this.#young.clear();
    this.#old.clear();
    this.#failedReconnects = 0;
    this.#toPage(responses);
  }

  /**
   * The answer timeout, in two generations so that one timer serves every request: a sweep
   * every {@link ANSWER_TIMEOUT_MS} fails what the previous sweep already saw unanswered, so a
   * request fails 1 to 2 timeouts after it was sent. Interactive methods are never timed.
   */
  #timeIfNonInteractive(id: string, method: unknown): void {
    if (!this.deps.tick || (typeof method === 'string' && UNBATCHED_METHODS.has(method))) return;
    this.#young.add(id);
    if (this.#ticking) return;
    this.#ticking = true;
    this.deps.tick(() => this.#sweep(), ANSWER_TIMEOUT_MS);
  }

  #sweep(): void {
    const late = [...this.#old];
    this.#old = this.#young;
    this.#young = new Set();
    this.#ticking = false;
    if (this.#old.size) {
      this.#ticking = true;
      this.deps.tick?.(() => this.#sweep(), ANSWER_TIMEOUT_MS);
    }
    if (!late.length) return;
    const error = disconnected('Keyhold did not answer in time; send the request again.').toJSON();
    for (const id of late) this.#forget(id);
    this.#toPage(late.map((id) => ({ id, error })));
  }

  #onWorkerMessage(message: FromWorkerMessage): void {
    this.#failedReconnects = 0;
    const responses = message?.responses;
    if (!Array.isArray(responses)) return;
    const delivered = responses.filter((r) => this.#forget(r.id));
    if (delivered.length) this.#toPage(delivered);
    // EIP-1193 events the worker pushed (accountsChanged, connect, disconnect).
    if (Array.isArray(message.events) && message.events.length) {
      const events: ToPageMessage['events'] = message.events.filter((e) => typeof e?.event === 'string');
      const out: ToPageMessage = { channel: CHANNEL, dir: 'to-page', responses: [], events };
      this.deps.win.postMessage(out, this.deps.win.location.origin);
    }
  }

  /** Drops a request from flight; whether it was in flight. */
  #forget(id: string): boolean {
    this.#sends.delete(id);
    this.#young.delete(id);
    this.#old.delete(id);
    return this.#inFlight.delete(id);
  }

  #toPage(responses: PageResponse[]): void {
    const message: ToPageMessage = { channel: CHANNEL, dir: 'to-page', responses };
    this.deps.win.postMessage(message, this.deps.win.location.origin);
  }
}

/** How deep a request may nest objects and arrays, and how many values it may hold, to be carried. */
export const MAX_NESTING = 64;
export const MAX_NODES = 100_000;

const jsonCarries = (request: PageRequest): boolean => {
  try {
    JSON.stringify(request);
    return true;
  } catch {
    return false;
  }
};
