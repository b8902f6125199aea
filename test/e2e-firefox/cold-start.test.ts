/**
 * Firefox's cold start, as built (`dist-firefox/`): the event page's first script holds the
 * signing path only, and the rest of the worker (vault, wallet, services, approvals, the
 * extension-page RPC) is a chunk of its own that `import()` loads on demand
 * (`scripts/build.ts`, `background/index.ts`). Here Firefox suspends the event page after 1 s
 * idle; a page's signature then wakes it and is answered before the rest loads, and a wallet
 * method, a session list and the popup's RPC load the rest in that same life. A build whose
 * chunks do not load fails here, and so does one whose first script grew back to the whole
 * worker.
 * Run after `npm run build`.
 * @module
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { ok, parsePayload, fromBase64, startServer, verifyEd25519, type FixtureServer, type SessionInfo } from '../e2e/harness.js';
import { DIST_FIREFOX, approveNext, call, launchFirefox, nextExtensionPage, openDapp, type FirefoxExtension } from './harness.js';
import { WORKER_MARKS } from '../../src/platform/worker-marks.js';
import { RPC_CHANNEL } from '../../src/protocol/extension-rpc.js';

/** Idle time after which Firefox suspends the event page, in this test. */
const IDLE_TIMEOUT_MS = 1_000;
/**
 * The first script and what it imports statically, at most: measured 112 KB when the split
 * landed (the whole worker is about 440 KB; the vault's crypto and the Public Suffix List are
 * about 150 KB each, so either one pulled back into the signing path crosses this).
 */
const MAX_FIRST_SCRIPT_BYTES = 160_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The files Firefox parses before the worker's first line runs: `file` and its static imports, transitively. */
async function staticClosure(file: string, seen = new Map<string, number>()): Promise<Map<string, number>> {
  if (seen.has(file)) return seen;
  const text = await readFile(file, 'utf8');
  seen.set(file, Buffer.byteLength(text));
  // esbuild writes a module's static imports first; `import(...)` (on demand) is not one of them.
  const leading = /\s*import\s*(?:[^"'()]*?\s*from\s*)?"([^"]+)";?/y;
  for (let m = leading.exec(text); m; m = leading.exec(text)) await staticClosure(join(dirname(file), m[1]!), seen);
  return seen;
}

interface BackgroundView {
  timeOrigin: number;
  marks: Record<string, number>;
}

/** The event page as it is now (started if suspended), seen from one of Keyhold's own pages. */
const background = (extPage: Page): Promise<BackgroundView> =>
  extPage.evaluate(async () => {
    const ext = globalThis as unknown as { browser: { runtime: { getBackgroundPage(): Promise<Window> } } };
    const w = await ext.browser.runtime.getBackgroundPage();
    return {
      timeOrigin: w.performance.timeOrigin,
      marks: Object.fromEntries(w.performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
    };
  });

describe('Firefox cold start: the signing path first, the rest of the worker on demand', () => {
  let server: FixtureServer;
  let ext: FirefoxExtension;
  let browser: Browser;
  let page: Page;
  let extPage: Page;
  let session: SessionInfo;

  before(async () => {
    server = await startServer();
    ext = await launchFirefox(DIST_FIREFOX, { 'extensions.background.idle.timeout': IDLE_TIMEOUT_MS });
    browser = ext.browser;
    // The welcome tab a fresh install opens: one of Keyhold's pages, to look at the event page from.
    extPage = await nextExtensionPage(browser, 'onboarding.html');
    page = await openDapp(browser, server.urlA);
    const pending = call<SessionInfo>(page, 'keyhold_createSession', [{ ttlSeconds: 3600, label: 'cold start' }]);
    await approveNext(browser, 'Approve');
    session = ok(await pending, 'keyhold_createSession');
  });

  after(async () => {
    await ext?.close();
    await server?.close();
  });

  test('the first script Firefox parses is the signing path, not the whole worker', async () => {
    const files = await staticClosure(join(DIST_FIREFOX, 'background.js'));
    const total = [...files.values()].reduce((a, b) => a + b, 0);
    assert.ok(total <= MAX_FIRST_SCRIPT_BYTES, `background.js and its static imports: ${total} bytes (${[...files.keys()].map((f) => f.slice(DIST_FIREFOX.length + 1)).join(', ')})`);
    const manifest = JSON.parse(await readFile(join(DIST_FIREFOX, 'manifest.json'), 'utf8')) as { background: unknown };
    assert.deepEqual(manifest.background, { scripts: ['background.js'], type: 'module' });
  });

  test('after a suspension, a signature wakes the event page without loading the rest; a wallet method, a list and the popup RPC load it', async () => {
    const before = await background(extPage);
    // Past the idle timeout, and past the rest's own start (2 s after a start) and its chores.
    await sleep(IDLE_TIMEOUT_MS + 4_000);
    const body = new TextEncoder().encode('cold');
    const env = ok(await call<{ payload: string; public_key: string; signature: string }>(page, 'keyhold_signRequest', [{ sessionId: session.id, requestType: 1, body: Buffer.from(body).toString('base64') }]), 'cold signature');
    assert.ok(verifyEd25519(env.public_key, env.payload, env.signature), 'the cold signature verifies');
    assert.deepEqual(parsePayload(fromBase64(env.payload)).body, body);

    const woken = await background(extPage);
    assert.notEqual(woken.timeOrigin, before.timeOrigin, 'the event page was suspended and started again');
    const signedAt = woken.marks[WORKER_MARKS.firstSignature];
    assert.ok(signedAt !== undefined, 'this life of the event page made the signature');
    const restAt = woken.marks[WORKER_MARKS.rest];
    assert.ok(restAt === undefined || restAt > signedAt, `the signature waited for the rest of the worker (rest at ${restAt} ms, signature at ${signedAt} ms)`);

    // Each needs the rest of the worker: its chunk and the page methods' table load now.
    assert.deepEqual(ok(await call<string[]>(page, 'eth_accounts'), 'eth_accounts'), []);
    assert.ok(ok(await call<SessionInfo[]>(page, 'keyhold_listSessions', []), 'keyhold_listSessions').some((s) => s.id === session.id));
    const listed = await extPage.evaluate(async (channel) => {
      const ext = globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; result?: Array<{ id: string }> }> } } };
      return ext.browser.runtime.sendMessage({ channel, method: 'session_listAll' });
    }, RPC_CHANNEL);
    assert.ok(listed.ok && listed.result?.some((s) => s.id === session.id), `session_listAll: ${JSON.stringify(listed).slice(0, 200)}`);

    const after = await background(extPage);
    assert.equal(after.timeOrigin, woken.timeOrigin, 'the same life of the event page');
    assert.ok(after.marks[WORKER_MARKS.rest] !== undefined, 'the rest of the worker started');
  });
});
