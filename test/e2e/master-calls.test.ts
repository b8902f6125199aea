/**
 * Attack 5 of issue 10, in real Chromium with the built extension: "opening the toolbar popup
 * makes the master sign by itself: a master-signed ListSessions goes to a service that only a
 * page named; relayed within 60 s, it returns the user's rows."
 *
 * - A page names a hostile service (a loopback server of this test that records every request
 *   and relays a ListSessions to the victim, as the attacker would) in `keyhold_createSession`,
 *   to be signed in by the page's own master (a passkey), so the session waits there, pending;
 *   the user has a vault, unlocked; opening the popup sends the hostile service nothing.
 * - At the real reference service, where the vault's master logged in itself, nothing is listed
 *   until the user clicks "Show sessions at <host>"; the click lists the rows.
 * - The ListSessions payload captured on its way to that service names it as audience and
 *   Keyhold as site; relayed to another reference service within its 60 s it is refused there
 *   (401 `wrong_audience`) and the rows at that service stay private.
 *
 * The victim is reached through a recording forwarder of this test (`front`), so that the test
 * can capture exactly what Keyhold sent; the victim is configured with the forwarder's origin as
 * one of its own (`origins`), as a service behind a proxy is. Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { startService, type RunningService } from '../../service/server.js';
import { MasterKey, login, payload, post, scopeBody, start, type TestService } from '../service/helpers.js';
import { approveNext, call, launchExtension, noApprovalWindow, ok, openDapp, openOnboarding, startServer, type Extension, type FixtureServer } from './harness.js';

/** The first account of the well-known test phrase "test test … junk". */
const HARDHAT = 'test test test test test test test test test test test junk';
const HARDHAT_KEY = Uint8Array.from(Buffer.from('ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', 'hex'));
const PASSWORD = 'correct horse battery';
const LIST_PATH = '/api/v1/auth/sessions/list';

interface Received {
  method: string;
  path: string;
  body: string;
}

/** A loopback HTTP server of this test: records every request, answers with `handle`. */
interface Recorder {
  url: string;
  received: Received[];
  /** Answers of the relays it made (hostile) or forwards (front). */
  relayed: Array<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Records every request; a POST is forwarded to `to` (same path, same body) and its answer sent
 * back when `forward(path)` says so, else answered `fallback`. CORS as the reference service.
 */
async function recorder(to: () => string, forward: (path: string) => boolean, fallback = { status: 401, body: { error: { code: 'no', message: 'hostile' } } }): Promise<Recorder> {
  const received: Received[] = [];
  const relayed: Recorder['relayed'] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const path = (req.url ?? '/').split('?')[0]!;
      received.push({ method: req.method ?? '', path, body });
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, x-device-key', 'access-control-allow-methods': 'GET, POST, OPTIONS' };
      if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
      let status = fallback.status;
      let answer: unknown = fallback.body;
      if (req.method === 'POST' && forward(path)) {
        const headers: Record<string, string> = { 'content-type': String(req.headers['content-type'] ?? 'application/json') };
        if (typeof req.headers['x-device-key'] === 'string') headers['x-device-key'] = req.headers['x-device-key'];
        const r = await fetch(to() + path, { method: 'POST', headers, body });
        status = r.status;
        answer = await r.json();
        relayed.push({ status, body: answer });
      }
      res.writeHead(status, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(answer));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    relayed,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

let victim: RunningService;
let front: Recorder;
let hostile: Recorder;
let other: TestService;
let server: FixtureServer;
let ext: Extension;
let pageA: Page;
let pageB: Page;
/** The master of the vault, as "another device" in Node. */
const master = new MasterKey(HARDHAT_KEY);
/** The victim as Node's clients reach it: through the forwarder, at its public origin. */
const victimFront = (): TestService => ({ url: front.url, now: Date.now() }) as TestService;

async function openPopup(): Promise<Page> {
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 360, height: 560 });
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  return page;
}

/** Calls the extension-page RPC from one of Keyhold's own pages, as the popup does. */
async function rpc<T>(page: Page, method: string, params: unknown): Promise<{ ok: boolean; result?: T; error?: { code: number; message: string } }> {
  return (await page.evaluate(
    ([m, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(x: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method: m, params: p }),
    [method, params] as const,
  )) as { ok: boolean; result?: T; error?: { code: number; message: string } };
}

/** The requests a recorder got that a master key signed (signature type 2 or 3), or that ask a master's list. */
function masterSigned(r: Recorder): Received[] {
  return r.received.filter((q) => {
    if (q.path.startsWith('/api/v1/auth/')) return true;
    try {
      const payload = Buffer.from((JSON.parse(q.body) as { payload?: string }).payload ?? '', 'base64');
      return payload[1] === 2 || payload[1] === 3;
    } catch {
      return false;
    }
  });
}

before(async () => {
  server = await startServer();
  front = await recorder(() => victim.url, () => true);
  // The victim exchange, reached at the forwarder's origin: that is one of its own origins (an
  // audience its master calls may name); it serves the test's dapp pages.
  victim = await startService({ origins: [front.url], sites: [server.originA, server.originB] });
  // The attacker's service: relays any master list it gets to the victim, within its 60 s.
  hostile = await recorder(() => victim.url, (path) => path === LIST_PATH);
  other = await start();
  ext = await launchExtension();
  const setup = await openOnboarding(ext.context, ext.extensionId);
  await setup.getByRole('radio', { name: 'Existing key' }).check();
  await setup.getByLabel('Recovery phrase', { exact: true }).fill(HARDHAT);
  await setup.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await setup.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await setup.getByRole('button', { name: 'Import', exact: true }).click();
  await setup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
  await setup.close();
  pageA = await openDapp(ext.context, server.urlA);
  pageB = await openDapp(ext.context, server.urlB);
});
after(async () => {
  await ext?.close();
  await server?.close();
  await hostile?.close();
  await front?.close();
  await victim?.close();
  await other?.close();
});

describe('attack 5: no master signature nobody asked for', () => {
  test('a page names a hostile service; with the vault unlocked, opening the popup sends it no master-signed request', async () => {
    // The user's account has live sessions at the victim (another device), which the relay would reveal.
    const elsewhere = await login(victimFront(), master);
    // The page names the hostile service, to be signed in by the page's own master (a passkey):
    // the session waits, pending, with the hostile service as its service. The vault stays unlocked.
    await noApprovalWindow(ext.context);
    const asked = call<{ id: string; status: string }>(pageA, 'keyhold_createSession', [{ ttlSeconds: 3600, service: { baseUrl: hostile.url, master: 'passkey' } }]);
    await approveNext(ext.context, 'Approve');
    const pending = ok(await asked, 'keyhold_createSession');
    assert.equal(pending.status, 'pending');

    // The user opens the popup, and leaves it open past a refresh cycle (5 s).
    const popup = await openPopup();
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
    await popup.getByRole('region', { name: server.originA, exact: true }).waitFor();
    await popup.waitForTimeout(6_000);
    await popup.reload();
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
    await popup.waitForTimeout(2_000);

    const signed = masterSigned(hostile);
    assert.deepEqual(signed, [], `the hostile service got a master-signed request: ${JSON.stringify(signed.map((q) => q.path))}`);
    assert.deepEqual(hostile.relayed, [], 'so it had nothing to relay');
    const hostileHost = new URL(hostile.url).host;
    assert.equal(await popup.getByRole('button', { name: `Show sessions at ${hostileHost}` }).count(), 0);
    assert.equal(await popup.getByRole('region', { name: `Your account at ${hostile.url}` }).count(), 0);

    // Not even through the extension RPC: a service the master never logged in to is 4100.
    const refused = await rpc(popup, 'service_listSessions', { baseUrl: hostile.url });
    assert.equal(refused.ok, false);
    assert.equal(refused.error?.code, 4100);
    assert.match(refused.error!.message, /never logged in/);
    assert.deepEqual(masterSigned(hostile), []);
    assert.ok([...victim.state.sessions.values()].some((s) => s.publicKey === Buffer.from(elsewhere.key.publicKey).toString('base64') && !s.revoked));
    await popup.close();
  });

  let captured: { payload: string; public_key: string; signature: string } | undefined;

  test('at the service where the master logged in itself, nothing is listed until the click; the click lists the rows', async () => {
    // A vault-signed login at the victim (through the forwarder): the master logged in there.
    await noApprovalWindow(ext.context);
    const asked = call<{ id: string; status: string }>(pageB, 'keyhold_createSession', [{ ttlSeconds: 3600, label: 'Exchange', service: { baseUrl: front.url } }]);
    // localhost asking for a session at 127.0.0.1: another party's service, so the second confirmation.
    await approveNext(ext.context, 'Approve', { acknowledge: true });
    const session = ok(await asked, 'keyhold_createSession');
    assert.equal(session.status, 'active', 'the unlocked vault logged it in');
    const popupRpc = await openPopup();
    assert.deepEqual((await rpc<string[]>(popupRpc, 'service_known', {})).result, [front.url], 'only where the master logged in');
    await popupRpc.close();

    const listsBefore = front.received.filter((q) => q.path === LIST_PATH).length;
    const popup = await openPopup();
    const region = popup.getByRole('region', { name: `Your account at ${front.url}`, exact: true });
    const show = region.getByRole('button', { name: `Show sessions at ${new URL(front.url).host}`, exact: true });
    await show.waitFor();
    await popup.waitForTimeout(6_000);
    assert.equal(front.received.filter((q) => q.path === LIST_PATH).length, listsBefore, 'opening the popup listed nothing');
    assert.equal(await region.getByRole('article').count(), 0);

    await show.click();
    await region.getByRole('article', { name: 'This browser', exact: true }).waitFor();
    await region.getByRole('article', { name: 'Another device', exact: true }).first().waitFor();
    const lists = front.received.filter((q) => q.path === LIST_PATH);
    assert.equal(lists.length, listsBefore + 1, 'one click, one list');
    assert.equal(front.relayed.at(-1)!.status, 200);
    captured = JSON.parse(lists.at(-1)!.body) as typeof captured;

    // What the master signed names the service and Keyhold's popup.
    const payload = Buffer.from(captured!.payload, 'base64');
    assert.equal(payload[1], 2, 'signed by the master (secp256k1)');
    assert.equal(payload.readUInt16LE(2), 47);
    const body = payload.subarray(24, payload.length - 16);
    const audience = body.subarray(1, 1 + body[0]!).toString('latin1');
    const siteAt = 1 + body[0]!;
    const site = body.subarray(siteAt + 1, siteAt + 1 + body[siteAt]!).toString('latin1');
    assert.equal(siteAt + 1 + body[siteAt]!, body.length, 'nothing after the scope');
    assert.equal(audience, front.url);
    assert.equal(site, `chrome-extension://${ext.extensionId}`);
    await popup.close();
  });

  test('that ListSessions, relayed to another service within 60 s, is refused there (401 wrong_audience)', async () => {
    assert.ok(captured, 'the previous test captured a list');
    other.now = Date.now(); // the relay happens now, well within the payload's 60 s
    const atOther = await login(other, master);
    const relayed = await post(other, LIST_PATH, captured);
    assert.equal(relayed.status, 401, JSON.stringify(relayed.json));
    assert.equal(relayed.json.error.code, 'wrong_audience');
    assert.ok(!JSON.stringify(relayed.json).includes(atOther.row.id), 'the rows at the other service stay private');
    // The same master, asking that service itself, does see them: the refusal is the audience.
    const own = await post(other, LIST_PATH, master.sign(payload({ signatureType: 2, requestType: 47, body: scopeBody(other.url), issuedAtMs: Date.now() })));
    assert.equal(own.status, 200, JSON.stringify(own.json));
    assert.ok(JSON.stringify(own.json).includes(atOther.row.id));
  });
});
