/**
 * Another extension, installed beside Keyhold in real Chromium, tries every runtime channel to
 * Keyhold: a one-off RPC message, and a port named like a page connection. Keyhold listens to
 * neither (no `onMessageExternal`, no `onConnectExternal`), so both fail to connect and nothing
 * changes.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { CHROMIUM, DIST, FIXTURES, call, ok, openDapp, startServer, type FixtureServer, type SessionInfo } from '../e2e/harness.js';
import { newSession, rpc } from './browser.js';
import { record } from './counts.js';

const OTHER = join(FIXTURES, 'other-extension');
let server: FixtureServer;
let context: BrowserContext;
let keyholdId: string;
let other: Worker;

before(async () => {
  server = await startServer();
  context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: true,
    args: [`--disable-extensions-except=${DIST},${OTHER}`, `--load-extension=${DIST},${OTHER}`, '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const workers = async () => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const ws = context.serviceWorkers().filter((w) => w.url().startsWith('chrome-extension://'));
      if (ws.length === 2) return ws;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('both extension workers did not start');
  };
  const ws = await workers();
  const isKeyhold = async (w: Worker) => (await w.evaluate(() => (globalThis as unknown as { chrome: { runtime: { getManifest(): { name: string } } } }).chrome.runtime.getManifest().name)) === 'Keyhold';
  const keyhold = (await isKeyhold(ws[0]!)) ? ws[0]! : ws[1]!;
  other = keyhold === ws[0] ? ws[1]! : ws[0]!;
  keyholdId = new URL(keyhold.url()).host;
  assert.ok(!(await isKeyhold(other)));
});
after(async () => {
  await context?.close();
  await server?.close();
});

describe('another extension', () => {
  test('cannot reach Keyhold by runtime message or port: both fail to connect, nothing answers, nothing changes', async () => {
    const page = await openDapp(context, server.urlA);
    const s = await newSession(context, page, { ttlSeconds: 600, label: 'other extension target' });
    const before = await rpc<unknown[]>(context, keyholdId, 'session_listAll');
    const tried = await other.evaluate(async ({ id, sessionId }) => {
      const c = (globalThis as unknown as { chrome: any }).chrome;
      const out: Record<string, string> = {};
      for (const [name, message] of [
        ['rpc list', { channel: 'dev.keyhold/rpc', method: 'session_listAll', params: {} }],
        ['rpc revoke', { channel: 'dev.keyhold/rpc', method: 'session_revoke', params: { sessionId } }],
        ['page batch', { requests: [{ id: 'x', method: 'keyhold_listSessions' }] }],
      ] as const) {
        out[name] = await c.runtime.sendMessage(id, message).then((r: unknown) => `answered ${JSON.stringify(r)}`, (e: Error) => `refused: ${e.message}`);
      }
      out.port = await new Promise<string>((resolve) => {
        const port = c.runtime.connect(id, { name: 'keyhold-page' });
        port.onMessage.addListener((m: unknown) => resolve(`answered ${JSON.stringify(m)}`));
        port.onDisconnect.addListener(() => resolve(`disconnected: ${c.runtime.lastError?.message ?? ''}`));
        port.postMessage({ requests: [{ id: 'p', method: 'keyhold_signRequest', params: [{ sessionId, requestType: 1, body: 'AQID' }] }] });
        setTimeout(() => resolve('no answer'), 3_000);
      });
      return out;
    }, { id: keyholdId, sessionId: s.id });
    record('another extension', { badInputs: 4 });
    for (const [what, result] of Object.entries(tried)) {
      assert.ok(!result.startsWith('answered'), `${what}: ${result}`);
      assert.match(result, /Could not establish connection|Receiving end does not exist|disconnected/, `${what}: ${result}`);
    }
    assert.deepEqual(await rpc<unknown[]>(context, keyholdId, 'session_listAll'), before);
    const signed = ok(await call<{ public_key: string }>(page, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: 'AQID' }]));
    assert.equal(signed.public_key, s.publicKey);
    assert.ok(ok(await call<SessionInfo[]>(page, 'keyhold_listSessions')).some((x) => x.id === s.id));
  });
});
