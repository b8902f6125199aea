/**
 * The reference service's HTTP server (`node:http`): CORS preflights, routing (404, 405),
 * the test outage (503), bounded bodies (413), JSON errors, static files, one log line per
 * request. Handlers do the rest.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ReplayGuard } from '../packages/verify/src/index.js';
import { ServiceError, asServiceError, notFound } from './errors.js';
import type { Route } from './handler.js';
import { CORS_HEADERS, errorBody, readBody, sendJson } from './http.js';
import { OUTAGE_PATH, routes } from './routes.js';
import { ServiceState } from './state.js';
import { PUBLIC_DIR, serveStatic } from './static.js';

export interface ServiceOptions {
  /** TCP port; 0 (the default) picks a free one */
  port?: number;
  /** interface to listen on; default 127.0.0.1 */
  host?: string;
  /** the service's clock, Unix ms; default Date.now */
  clock?: () => number;
  /** receives one line per request; default: no logging */
  logger?: (line: string) => void;
  /** enables `POST /api/v1/_test/outage`; default false */
  testHooks?: boolean;
  /** folder served at `/`; default `service/public/` */
  publicDir?: string;
  /** more origins of this service (e.g. its public https origin behind a proxy); its listening origins always count */
  origins?: string[];
  /** the sites whose logins it accepts, besides its own origins (which serve the demo exchange) */
  sites?: string[];
  /** give each session an id of the service's own at login (a random UUID), as many services do; default false */
  assignSessionIds?: boolean;
  /**
   * where request ids and login nonces are claimed; default this process's memory. Several
   * processes of one service share one (e.g. `@keyhold/verify-redis`), or a request accepted by
   * one is a replay the others accept.
   */
  replayGuard?: ReplayGuard;
}

export interface RunningService {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash) */
  url: string;
  port: number;
  /** the in-memory state, for tests to inspect */
  state: ServiceState;
  /** stops listening and closes every connection */
  close(): Promise<void>;
}

/** What a request ended with, for the log line. */
interface Outcome {
  status: number;
  code?: string;
}

/**
 * Starts the reference service.
 * @returns once it listens
 * @throws if the port cannot be bound
 */
export async function startService(opts: ServiceOptions = {}): Promise<RunningService> {
  const clock = opts.clock ?? Date.now;
  const host = opts.host ?? '127.0.0.1';
  const publicDir = opts.publicDir ?? PUBLIC_DIR;
  const state = new ServiceState();
  state.assignSessionIds = opts.assignSessionIds ?? false;
  if (opts.replayGuard) state.replay = opts.replayGuard;
  const table = routes(opts.testHooks ?? false);

  const server = createServer((req, res) => {
    const started = performance.now();
    void respond(req, res).then((outcome) => {
      const ms = (performance.now() - started).toFixed(1);
      const code = outcome.code === undefined ? '' : ` ${outcome.code}`;
      opts.logger?.(`${new Date(clock()).toISOString()} ${req.method} ${pathOf(req)} ${outcome.status}${code} ${ms}ms`);
    });
  });

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<Outcome> {
    try {
      return await dispatch(req, res);
    } catch (thrown) {
      // A handler may meet the package's parsers directly (a JSON body, base64): their refusals are 4xx too.
      const e = asServiceError(thrown);
      const error = e instanceof ServiceError ? e : new ServiceError(500, 'internal_error', 'the service failed; see its log');
      if (!(e instanceof ServiceError)) opts.logger?.(`internal error: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) sendJson(res, error.status, errorBody(error), { ...error.headers });
      return { status: error.status, code: error.code };
    }
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<Outcome> {
    const path = pathOf(req);
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS).end();
      return { status: 204 };
    }
    const candidates = table.filter((r) => r.path === path);
    if (candidates.length === 0) return serveFile(req, res, path, method);
    const route: Route | undefined = candidates.find((r) => r.method === method);
    if (route === undefined) {
      const allow = candidates.map((r) => r.method).join(', ');
      throw new ServiceError(405, 'method_not_allowed', `${path} takes ${allow}`, { allow });
    }
    if (state.outage && path !== OUTAGE_PATH) {
      throw new ServiceError(503, 'service_unavailable', 'the service is down (test outage)');
    }
    const body = await readBody(req);
    const reply = await route.handler({ headers: req.headers, body, nowMs: clock(), state });
    sendJson(res, reply.status, reply.body);
    return { status: reply.status };
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<Outcome> {
    if (path.startsWith('/api/')) throw notFound('not_found', `no endpoint ${path}`);
    if (method !== 'GET' && method !== 'HEAD') {
      throw new ServiceError(405, 'method_not_allowed', 'static files take GET or HEAD', { allow: 'GET, HEAD' });
    }
    req.resume();
    if (await serveStatic(publicDir, path, res, method === 'HEAD')) return { status: 200 };
    throw notFound('not_found', `no file ${path}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the service is not listening on a TCP port');
  const { port } = address;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  // Its own origins are its logins' only audiences, and serve its own pages (the demo exchange).
  const own = [url, ...(LOOPBACK.has(host) ? [`http://127.0.0.1:${port}`, `http://localhost:${port}`] : []), ...(opts.origins ?? [])];
  for (const origin of own) state.origins.add(origin);
  for (const site of [...own, ...(opts.sites ?? [])]) state.sites.add(site);
  return {
    url,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
