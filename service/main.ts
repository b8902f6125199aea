/**
 * Command line: `npx tsx service/main.ts [--port N] [--host H] [--site ORIGIN]… [--origin ORIGIN]… [--assign-session-ids] [--test-hooks]`. Starts the
 * reference service, prints `listening on http://HOST:PORT`, logs one line per request to
 * stdout, and stops on SIGINT or SIGTERM.
 * @module
 */
import { parseArgs } from 'node:util';
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
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer 0..65535, got '${values.port}'`);
  process.exit(2);
}
const service = await startService({
  port,
  host: values.host,
  testHooks: values['test-hooks'],
  assignSessionIds: values['assign-session-ids'],
  sites: values.site,
  origins: values.origin,
  logger: (line) => console.log(line),
});
console.log(`listening on ${service.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void service.close().then(() => process.exit(0)));
}
