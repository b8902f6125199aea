/**
 * The delegation attacks of issue 10 that turned one approval into a session at another
 * exchange, each replayed against the built extension in real Chromium with the real reference
 * service as the victim exchange and a hostile service of the test's own. On the landed build
 * (unbound CreateSession logins, vault logins with no account shown, no cross-site check,
 * personal_sign of any bytes) each of these ended with a session at the victim; now each is
 * refused, and the victim registers nothing.
 *
 * Cast: the exchange's site is origin A (127.0.0.1), its service the reference service (also
 * 127.0.0.1, the same party). The attacker's site is origin B (localhost) and its service a
 * relay on localhost that forwards every login it gets to the victim.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { startService, type RunningService } from '../../service/server.js';
import { SessionKey, loginMessage, post, uuidText, uuidv7 } from '../service/helpers.js';
import {
  approvalPages,
  call,
  launchExtension,
  nextApprovalPage,
  ok,
  openDapp,
  startServer,
  type Extension,
  type FixtureServer,
} from './harness.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const PASSWORD = 'correct horse battery';

let victim: RunningService;
let server: FixtureServer;
let ext: Extension;
/** The attacker's service: forwards logins to the victim and records what came back. */
let relay: { url: string; server: Server; forwarded: Array<{ status: number; body: { error?: { code: string } } }> };

before(async () => {
  // The real clock: logins are signed by the extension at the time of each test.
  victim = await startService();
  server = await startServer();
  // The victim exchange serves its own site only (origin A).
  victim.state.sites.add(server.originA);
  const forwarded: Array<{ status: number; body: { error?: { code: string } } }> = [];
  const relayServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'content-type': 'application/json' };
        if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
        // Only logins are relayed; anything else (the descriptor Keyhold may fetch) is not here.
        if (req.method !== 'POST' || req.url !== '/api/v1/login') return void res.writeHead(404, cors).end('{}');
        const answer = await post(victim, '/api/v1/login', Buffer.concat(chunks).toString());
        forwarded.push({ status: answer.status, body: answer.json });
        res.writeHead(answer.status, cors).end(JSON.stringify(answer.json));
      })();
    });
  });
  await new Promise<void>((ok) => relayServer.listen(0, '127.0.0.1', ok));
  relay = { url: `http://localhost:${(relayServer.address() as AddressInfo).port}`, server: relayServer, forwarded };
  ext = await launchExtension();
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.extensionId}/onboarding.html`);
  await popup.getByRole('radio', { name: 'Existing key' }).check();
  await popup.getByLabel('Recovery phrase', { exact: true }).fill(HARDHAT);
  await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await popup.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await popup.getByRole('button', { name: 'Import', exact: true }).click();
  await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
  await popup.close();
});
after(async () => {
  await ext?.close();
  await server?.close();
  relay?.server.closeAllConnections();
  relay?.server.close();
  await victim?.close();
});

const victimSessions = () => victim.state.sessions.size;

/** Waits until the approval window's Approve is armed (its 500 ms delay) and answers whether it is enabled. */
async function approveEnabled(win: Page): Promise<boolean> {
  await win.waitForTimeout(1200);
  return win.getByRole('button', { name: 'Approve', exact: true }).isEnabled();
}

describe('attacks on delegation (issue 10)', () => {
  test('attack 1 + 2: a vault-signed login relayed by a site\'s own service to the victim is refused; the window named account, service and site first', async () => {
    const before = victimSessions();
    const page = await openDapp(ext.context, server.urlB);
    assert.deepEqual(ok(await call<string[]>(page, 'eth_accounts')), [], 'the attacker site never connected');
    const pending = call(page, 'keyhold_createSession', [{ ttlSeconds: 3600, role: 'FULL_ACCESS', service: { baseUrl: relay.url } }]);
    const win = await nextApprovalPage(ext.context);
    // Attack 2: the window says the master signs, with which account, at which service, for which site.
    const signer = win.getByTestId('login-signer');
    await signer.waitFor();
    assert.match(await signer.innerText(), new RegExp(`Your Keyhold account ${ACCOUNT} signs you in`));
    const consent = win.getByRole('region', { name: 'Sign-in at a service' });
    const words = await consent.innerText();
    assert.ok(words.includes(new URL(relay.url).host.split(':')[0]!) && words.includes('localhost'), words);
    assert.equal(relay.forwarded.length, 0, 'nothing is signed or sent before the user approves');
    await win.getByRole('button', { name: 'Approve', exact: true }).click({ timeout: 10_000 });
    const outcome = await pending;
    // Attack 1: the login names its audience (the relay) and site (origin B): the victim refuses it.
    assert.equal(relay.forwarded.length, 1, 'the relay forwarded the login');
    assert.equal(relay.forwarded[0]!.status, 401);
    assert.equal(relay.forwarded[0]!.body.error?.code, 'wrong_audience');
    assert.equal(outcome.error?.code, 4100, JSON.stringify(outcome));
    assert.equal(victimSessions(), before, 'the victim registered no session');
    assert.deepEqual(ok(await call<string[]>(page, 'eth_accounts')), [], 'approving a session did not connect the site');
  });

  test('attack 3: a site asking for a session at another party\'s service needs a deliberate second confirmation, and the victim refuses a site it does not serve', async () => {
    const before = victimSessions();
    const page = await openDapp(ext.context, server.urlB);
    const pending = call(page, 'keyhold_createSession', [{ ttlSeconds: 3600, role: 'FULL_ACCESS', service: { baseUrl: victim.url } }]);
    const win = await nextApprovalPage(ext.context);
    await win.getByRole('alert').filter({ hasText: 'is not part of' }).waitFor();
    assert.equal(await approveEnabled(win), false, 'Approve stays disabled without the second confirmation');
    // The worker enforces it too: an approval_decide without `acknowledged` is refused.
    // (A string, so the bundler's helpers are not needed inside the page.)
    const approvalId = (await win.evaluate(`(async () => {
      const rpc = (method, params) => chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method, params });
      const list = (await rpc('approval_list', {})).result;
      const decided = await rpc('approval_decide', { approvalId: list[0].id, approve: true });
      return { id: list[0].id, decided };
    })()`)) as { id: string; decided: { ok: boolean; error?: { message: string } } };
    assert.equal(approvalId.decided.ok, false);
    assert.match(approvalId.decided.error!.message, /second confirmation/);
    await win.getByRole('checkbox', { name: /^I trust localhost to use my account at 127\.0\.0\.1/ }).check();
    await win.getByRole('button', { name: 'Approve', exact: true }).click({ timeout: 10_000 });
    const outcome = await pending;
    assert.equal(outcome.error?.code, 4100, `the victim refused the login: ${JSON.stringify(outcome)}`);
    assert.match(outcome.error!.message, /does not serve/);
    assert.equal(victimSessions(), before, 'the victim registered no session for the attacker\'s site');
  });

  test('attack 4: personal_sign of a Keyhold login (or a master payload) is refused without a window', async () => {
    const page = await openDapp(ext.context, server.urlB);
    const connecting = call<string[]>(page, 'eth_requestAccounts');
    const win = await nextApprovalPage(ext.context);
    await win.getByRole('button', { name: 'Approve', exact: true }).click({ timeout: 10_000 });
    assert.deepEqual(ok(await connecting), [ACCOUNT.toLowerCase()]);
    await win.waitForEvent('close').catch(() => undefined);
    // The attacker's own session key, logged in at the victim for the exchange's site if signed.
    const text = loginMessage({
      site: server.originA, audience: victim.url, sessionId: uuidText(uuidv7()), publicKey: new SessionKey().publicKey,
      role: 'FULL_ACCESS', validUntilMs: Date.now() + 3_600_000, issuedAtMs: Date.now(), address: ACCOUNT,
    });
    const before = victimSessions();
    const refused = await call(page, 'personal_sign', [`0x${Buffer.from(text).toString('hex')}`, ACCOUNT.toLowerCase()]);
    assert.equal(refused.error?.code, 4100, JSON.stringify(refused));
    assert.match(refused.error!.message, /Keyhold service login/);
    // A binary master payload (signature type 2: ListSessions) is refused too.
    const payload = Buffer.alloc(40);
    payload[0] = 1;
    payload[1] = 2;
    payload.writeUInt16LE(47, 2);
    Buffer.from(uuidv7()).copy(payload, 8);
    payload.writeBigUInt64LE(BigInt(Date.now()), 24);
    payload.writeBigUInt64LE(BigInt(Date.now() + 60_000), 32);
    const masterCall = await call(page, 'personal_sign', [`0x${payload.toString('hex')}`, ACCOUNT.toLowerCase()]);
    assert.equal(masterCall.error?.code, 4100, JSON.stringify(masterCall));
    assert.equal(approvalPages(ext.context).length, 0, 'no window opened for either');
    assert.equal(victimSessions(), before);
  });

  test('the exchange itself still gets its session: same party, the vault signs after the window, orders go through', async () => {
    const page = await openDapp(ext.context, server.urlA);
    const pending = call<{ id: string; status: string }>(page, 'keyhold_createSession', [{ ttlSeconds: 3600, service: { baseUrl: victim.url } }]);
    const win = await nextApprovalPage(ext.context);
    await win.getByTestId('login-signer').waitFor();
    assert.equal(await win.getByRole('alert').count(), 0, 'no cross-site warning for the exchange\'s own service');
    await win.getByRole('button', { name: 'Approve', exact: true }).click({ timeout: 10_000 });
    const session = ok(await pending);
    assert.equal(session.status, 'active');
    const body = Buffer.from(JSON.stringify({ side: 'buy', qty: 1 })).toString('base64');
    assert.equal(ok(await call<{ status: number }>(page, 'keyhold_send', [{ sessionId: session.id, path: '/api/v1/orders', requestType: 1, body }])).status, 200);
  });
});

/** Keeps the bound-login builder honest: the test's own message verifies at the victim only when signed by the named account. */
test('the test-side login builder matches the victim\'s parser (sanity for attack 4)', async () => {
  const text = loginMessage({
    site: server.originA, audience: victim.url, sessionId: uuidText(uuidv7()), publicKey: new SessionKey().publicKey,
    validUntilMs: Date.now() + 60_000, issuedAtMs: Date.now(), address: ACCOUNT,
  });
  const answer = await post(victim, '/api/v1/login', { payload: Buffer.from(text).toString('base64'), public_key: Buffer.alloc(33, 2).toString('base64'), signature: Buffer.alloc(65, 27).toString('base64') });
  assert.equal(answer.status, 401, 'parsed, then refused for its signature');
  assert.equal(answer.json.error.code, 'bad_signature');
});
