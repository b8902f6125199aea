/**
 * A hostile or broken service for the fault tests: a real `node:http` server on 127.0.0.1 that
 * answers CORS preflights like a service (so a browser's worker reaches it) and answers every
 * POST however the test says — a 10 MB body, a body that never ends, no answer at all, garbage,
 * an HTML error page, a redirect, a connection reset, a device key that is not base64 or
 * absurdly long, a session row naming another session. It records what it was sent.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-device-key',
};

/** What a behaviour is given: the request, its reply, and its body parsed as JSON (or null). */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, json: unknown) => void;

export interface HostileService {
  url: string;
  /** How the next POSTs are answered; change it at any time. */
  behave: Behaviour;
  /** Every POST received, in order. */
  readonly received: { path: string; headers: IncomingMessage['headers']; json: unknown }[];
  /** Connections open now (a client that gave up closes its own). */
  openConnections(): number;
  close(): Promise<void>;
}

/** Starts a hostile service with `behave` (default: an empty 200). */
export async function startHostileService(behave: Behaviour = (_q, res) => void res.writeHead(200, CORS).end()): Promise<HostileService> {
  const sockets = new Set<Socket>();
  const received: HostileService['received'] = [];
  const service: HostileService = {
    url: '',
    behave,
    received,
    openConnections: () => [...sockets].filter((s) => !s.destroyed).length,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'access-control-max-age': '600' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let json: unknown = null;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // not JSON
      }
      received.push({ path: req.url ?? '/', headers: req.headers, json });
      service.behave(req, res, json);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return service;
}

/** A JSON answer of `status` with the service's headers (or others). */
export const json = (status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Behaviour => (_q, res) => {
  res.writeHead(status, { ...CORS, ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** The session id a login envelope logs in (the Request ID line of its login message), or null. */
export function loginSessionId(envelope: unknown): string | null {
  try {
    const text = Buffer.from((envelope as { payload: string }).payload, 'base64').toString('utf8');
    return /\nRequest ID: ([0-9a-f-]{36})\n/.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** A good device key: 32 bytes, standard base64. */
export const GOOD_DEVICE_KEY = Buffer.alloc(32, 9).toString('base64');

/** Answers a login as a correct service would: `{device_key, session: {id}}` with the session logged in. */
export const acceptLogin = (deviceKey = GOOD_DEVICE_KEY): Behaviour => (req, res, body) => {
  if (req.url?.endsWith('/api/v1/logout')) return json(200, { session_revoked: true, device_key_deleted: true })(req, res, body);
  if (!req.url?.endsWith('/api/v1/login')) return json(200, { accepted: true })(req, res, body);
  json(200, { device_key: deviceKey, session: { id: loginSessionId(body) } })(req, res, body);
};

/** The hostile answers, by name. Each is a way a broken or malicious service can answer. */
export const HOSTILE: Record<string, Behaviour> = {
  /** 10 MB of JSON-looking bytes, streamed as fast as the client reads. */
  'a 10 MB body': (_q, res) => {
    res.writeHead(200, { ...CORS, 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    res.write('{"device_key":"');
    let sent = 0;
    const more = () => {
      while (sent < 10 * 2 ** 20) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end('"}');
    };
    res.on('error', () => undefined);
    more();
  },
  /** Headers at once, then one byte every 100 ms, forever. */
  'a body that never ends': (_q, res) => {
    res.writeHead(200, { ...CORS, 'content-type': 'application/json' });
    res.write('{"device_key":"');
    // Cleared when the client gives up (or the service closes and destroys the socket).
    const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('A')), 100);
    res.on('close', () => clearInterval(t));
  },
  /** No answer at all: the connection stays open and silent. */
  'no answer at all': () => undefined,
  /** Random bytes, claiming to be JSON. */
  'binary garbage labelled JSON': (_q, res) => {
    res.writeHead(200, { ...CORS, 'content-type': 'application/json' });
    res.end(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
  },
  /** JSON cut off in the middle. */
  'truncated JSON': json(200, `{"device_key":"${GOOD_DEVICE_KEY}","session":{"id":"01`),
  'JSON of the wrong shape (an array)': json(200, [{ device_key: GOOD_DEVICE_KEY }]),
  'JSON null': json(200, 'null'),
  'a device_key that is a number': (q, res, body) => json(200, { device_key: 12345, session: { id: loginSessionId(body) } })(q, res, body),
  'a device_key that is not base64': (q, res, body) => json(200, { device_key: 'not base64!*', session: { id: loginSessionId(body) } })(q, res, body),
  'an absurdly long device_key (600 KB)': (q, res, body) => json(200, { device_key: Buffer.alloc(450_000, 1).toString('base64'), session: { id: loginSessionId(body) } })(q, res, body),
  'a device_key of 4 bytes': (q, res, body) => json(200, { device_key: 'AAAAAA==', session: { id: loginSessionId(body) } })(q, res, body),
  'a session row naming another session': json(200, { device_key: GOOD_DEVICE_KEY, session: { id: '01a216ad-2082-7b64-ae2a-3afd2b53fb21' } }),
  'a session row with no id': json(200, { device_key: GOOD_DEVICE_KEY, session: {} }),
  'the fields under __proto__': (q, res, body) => json(200, `{"__proto__":{"device_key":"${GOOD_DEVICE_KEY}","session":{"id":"${loginSessionId(body)}"}}}`)(q, res, body),
  'JSON nested 100,000 deep': json(200, `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
  'an HTML page with 200': json(200, '<!doctype html><html><body><h1>Welcome to the captive portal</h1></body></html>', { 'content-type': 'text/html' }),
  'an HTML error page (502)': json(502, '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>', { 'content-type': 'text/html' }),
  'an HTML error page (404)': json(404, '<html><body><h1>404 Not Found</h1></body></html>', { 'content-type': 'text/html' }),
  'a 200 with an empty body': (_q, res) => void res.writeHead(200, CORS).end(),
  'a 204': (_q, res) => void res.writeHead(204, CORS).end(),
  'a redirect (307) to another host': (_q, res) => void res.writeHead(307, { ...CORS, location: 'http://127.0.0.1:9/api/v1/login' }).end(),
  'a redirect (302) to itself': (q, res) => void res.writeHead(302, { ...CORS, location: q.url ?? '/' }).end(),
  'a 304 with no location': (_q, res) => void res.writeHead(304, CORS).end(),
  'a connection reset before any answer': (q) => q.socket.destroy(),
  'a connection reset in the middle of the body': (_q, res) => {
    res.writeHead(200, { ...CORS, 'content-type': 'application/json' });
    res.write(`{"device_key":"${GOOD_DEVICE_KEY.slice(0, 10)}`);
    setTimeout(() => res.socket?.destroy(), 20);
  },
  'a body shorter than its content-length': (_q, res) => {
    res.writeHead(200, { ...CORS, 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"device_key":');
    setTimeout(() => res.socket?.destroy(), 20);
  },
  'a 500 with a service error': json(500, { error: { code: 'internal_error', message: 'the service failed' } }),
  'a 503 with text': json(503, 'Service Unavailable', { 'content-type': 'text/plain' }),
};

/** Of {@link HOSTILE}, those that reach no answer at all within a timeout (no status). */
export const NO_STATUS = new Set([
  'a 10 MB body', 'a body that never ends', 'no answer at all', 'a redirect (307) to another host', 'a redirect (302) to itself',
  'a connection reset before any answer', 'a connection reset in the middle of the body', 'a body shorter than its content-length',
]);
