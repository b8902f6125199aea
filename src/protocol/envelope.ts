/**
 * The messages that carry page requests: page ⇄ relay by `window.postMessage`, relay ⇄ worker
 * over a long-lived runtime port. Requests travel in batches: everything a page asks within one
 * task crosses each hop as one message.
 * @module
 */
import type { SerializedError } from './errors.js';

/** Tags every window message of Keyhold's, so that the relay ignores everything else. */
export const CHANNEL = 'dev.keyhold/v1';
/** The runtime port name of page connections. */
export const PAGE_PORT = 'keyhold-page';

/** One request as the page sends it. `id` is unique within the page for its lifetime. */
export interface PageRequest {
  id: string;
  method: string;
  params?: unknown;
}

export type PageResponse =
  | { id: string; result: unknown }
  | { id: string; error: SerializedError };

/** Page → relay (window message). */
export interface ToRelayMessage {
  channel: typeof CHANNEL;
  dir: 'to-keyhold';
  requests: PageRequest[];
}

/** An EIP-1193 event the worker pushes to a page (`accountsChanged`, `connect`, …); the provider emits it. */
export interface PageEvent {
  event: string;
  data: unknown;
}

/** Relay → page (window message). */
export interface ToPageMessage {
  channel: typeof CHANNEL;
  dir: 'to-page';
  responses: PageResponse[];
  events?: PageEvent[];
}

/** Relay → worker (port message). */
export interface ToWorkerMessage {
  requests: PageRequest[];
}

/** Worker → relay (port message). */
export interface FromWorkerMessage {
  responses: PageResponse[];
  events?: PageEvent[];
}
