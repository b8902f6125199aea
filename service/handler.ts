/**
 * What an endpoint handler receives and returns. Handlers are pure apart from the state they are
 * given (some await WebCrypto): the server reads the body, calls the handler, writes the reply.
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceState } from './state.js';

/** An HTTP request as a handler sees it. */
export interface HandlerRequest {
  headers: IncomingHttpHeaders;
  /** the whole request body (at most 128 KiB) */
  body: Uint8Array;
  /** the service's clock at arrival, Unix ms */
  nowMs: number;
  state: ServiceState;
}

/** A JSON reply. */
export interface Reply {
  status: number;
  body: unknown;
}

export type Handler = (req: HandlerRequest) => Reply | Promise<Reply>;

/** One endpoint. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler: Handler;
}

/** 200 with a JSON body. */
export const ok = (body: unknown): Reply => ({ status: 200, body });
