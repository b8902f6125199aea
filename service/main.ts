/**
 * Command line: `npx tsx service/main.ts [--port N] [--host H] [--site ORIGIN]… [--origin ORIGIN]… [--assign-session-ids] [--replay-store redis://HOST:PORT] [--test-hooks]`. Starts the
 * reference service, prints `listening on http://HOST:PORT`, logs one line per request to
 * stdout, and stops on SIGINT or SIGTERM. With `--replay-store`, request ids and login nonces are
 * claimed in that Redis (`@keyhold/verify-redis`), so several processes serve one service;
 * without it they are kept in this process's memory.
 * @module
 */
import { parseArgs } from 'node:util';
import { connectRedisReplayGuard, type ConnectedRedisReplayGuard } from '../packages/verify-redis/src/index.js';
import { AUTH_WINDOW_MS } from '../packages/verify/src/index.js';
import { MAX_FUTURE_MS } from './keyhold-verify.js';
import { startService } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'test-hooks': { type: 'boolean', default: false },
    /** give sessions ids of the service's own at login */
    'assign-session-ids': { type: 'boolean', default: false },
    /** a site (origin) whose logins this service accepts; repeat for more */
    site: { type: 'string', multiple: true, default: [] },
    /** another origin of this service (its public one behind a proxy); repeat for more */
    origin: { type: 'string', multiple: true, default: [] },
    /** redis://HOST:PORT of a replay store shared by every process of this service */
    'replay-store': { type: 'string' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer 0..65535, got '${values.port}'`);
  process.exit(2);
}
const store = values['replay-store'] === undefined ? undefined : await connectStore(values['replay-store']);
const service = await startService({
  port,
  host: values.host,
  testHooks: values['test-hooks'],
  assignSessionIds: values['assign-session-ids'],
  sites: values.site,
  origins: values.origin,
  ...(store && { replayGuard: store.guard }),
  logger: (line) => console.log(line),
});
console.log(`listening on ${service.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void Promise.all([service.close(), store?.close()]).then(() => process.exit(0)));
}

async function connectStore(url: string): Promise<ConnectedRedisReplayGuard> {
  try {
    // Claims outlive a Redis that lost them by at most this service's window plus its skew.
    const connected = await connectRedisReplayGuard(url, { lossWindowMs: AUTH_WINDOW_MS + MAX_FUTURE_MS, onError: (line) => console.log(line) });
    console.log(`replay store: ${redactedUrl(url)}`);
    return connected;
  } catch (err) {
    console.error(`--replay-store: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
}

/** The URL without its password, for the log. */
function redactedUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
