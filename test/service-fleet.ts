/**
 * The reference service as a fleet, for tests and the bench: separate `service/main.ts`
 * processes (as `npm run service` starts them) behind a round-robin HTTP proxy of the test's
 * own, which also keeps the login bodies it forwarded (so a test can replay one).
 * @module
 */
import { spawn } from 'node:child_process';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One `service/main.ts` process. */
export interface ServiceProcess {
  url: string;
  /** its stdout so far (one line per request) */
  log(): string;
  /** SIGTERM, and waits for the exit */
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx service/main.ts ARGS` and waits for its `listening on URL` line.
 * @throws if it exits or does not listen within 60 s
 */
export async function spawnService(args: string[]): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/main.ts', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start: ${err}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code}): ${err}`));
    });
  });
  return {
    url,
    log: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A round-robin proxy over backends set after it listens (they need its origin). */
export interface RoundRobin {
  /** `http://127.0.0.1:PORT`: the service's public origin */
  url: string;
  backends: string[];
  /** how many requests each backend was sent */
  served: number[];
  /** the bodies of `POST /api/v1/login` it forwarded, in order */
  logins: Buffer[];
  close(): Promise<void>;
}

export async function startRoundRobin(): Promise<RoundRobin> {
  let next = 0;
  const rr: RoundRobin = { url: '', backends: [], served: [], logins: [], close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const i = next++ % rr.backends.length;
      rr.served[i] = (rr.served[i] ?? 0) + 1;
      if (req.method === 'POST' && req.url === '/api/v1/login') rr.logins.push(body);
      const target = new URL(req.url ?? '/', rr.backends[i]);
      const headers: IncomingHttpHeaders = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const upstream = request(target, { method: req.method, headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, { ...up.headers, 'x-backend': String(i) });
        up.pipe(res);
      });
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"bad_gateway","message":"backend down"}}');
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rr.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rr.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return rr;
}

/** Copies every process's sessions to every other (a fleet shares them in its database). */
export async function shareSessions(processes: ServiceProcess[]): Promise<void> {
  const all = [];
  for (const p of processes) all.push(...((await (await fetch(`${p.url}/api/v1/_test/sessions`)).json()) as { sessions: unknown[] }).sessions);
  for (const p of processes) {
    const r = await fetch(`${p.url}/api/v1/_test/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessions: all }) });
    if (r.status !== 200) throw new Error(`session import failed: ${r.status} ${await r.text()}`);
  }
}
