/**
 * Service sessions end to end: real Chromium, the built extension, and the real reference
 * service (service/), no mocks of either. A bring-your-own secp256k1 master and a passkey
 * master (CDP's virtual authenticator) log sessions in; orders go through `keyhold_send`;
 * revocation reaches the service, even across an outage and a worker stop.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startService, type RunningService } from '../../service/server.js';
import {
  approveNext,
  call,
  launchExtension,
  ok,
  openDapp,
  startServer,
  stopWorker,
  type Extension,
  type FixtureServer,
  bundleForPage,
  serveSites,
} from './harness.js';

interface ServiceSession {
  id: string;
  publicKey: string;
  status?: string;
  loginPayload?: string;
  loginMessage?: string;
  service?: { baseUrl: string };
}

let service: RunningService;
let server: FixtureServer;
let ext: Extension;

before(async () => {
  service = await startService({ testHooks: true });
  const byo = await bundleForPage('test/e2e/byo-master.ts');
  server = await startServer({ '/byo.js': { type: 'text/javascript', body: byo } });
  serveSites(service, server);
  ext = await launchExtension();
});
after(async () => {
  await ext?.close();
  await server?.close();
  await service?.close();
});

/** Records every message the page receives, for the leak check at the end. */
async function recordMessages(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { seen: string[] };
    w.seen = [];
    window.addEventListener('message', (e) => w.seen.push(JSON.stringify(e.data)));
  });
}
const seenBy = (page: Page) => page.evaluate(() => (window as unknown as { seen: string[] }).seen.join('\n'));

async function byoPage(): Promise<Page> {
  const page = await openDapp(ext.context, server.urlA);
  await page.addScriptTag({ url: '/byo.js' });
  await recordMessages(page);
  return page;
}

/** create (service) → Approve → pending → the page's wallet signs → complete → active. */
async function secp256k1Session(page: Page, extra: Record<string, unknown> = {}): Promise<ServiceSession> {
  const address = await page.evaluate(() => (window as unknown as { byoMaster: { address: string } }).byoMaster.address);
  const pending = call<ServiceSession>(page, 'keyhold_createSession', [{ ttlSeconds: 3600, service: { baseUrl: service.url, address }, ...extra }]);
  await approveNext(ext.context, 'Approve');
  const created = ok(await pending, 'createSession');
  assert.equal(created.status, 'pending');
  assert.equal(Buffer.from(created.loginPayload!, 'base64').toString('utf8'), created.loginMessage, 'loginMessage is the text of loginPayload');
  assert.ok(created.loginMessage!.startsWith(`${new URL(page.url()).origin} wants you to sign in with your Ethereum account:\n${address}\n`), 'a SIWE message for this site and account');
  const signature = await page.evaluate((p) => (window as unknown as { byoMaster: { signLoginPayload(p: string): string } }).byoMaster.signLoginPayload(p), created.loginPayload!);
  const active = ok(await call<ServiceSession>(page, 'keyhold_completeSession', [{ sessionId: created.id, signature }]), 'completeSession');
  assert.equal(active.status, 'active');
  assert.equal(active.loginPayload, undefined);
  return active;
}

/** The reference service's request types (spec/service.md). */
const PLACE_ORDER = 1;
const WITHDRAW = 2;
const order = (side: string, qty: number) => Buffer.from(JSON.stringify({ side, qty })).toString('base64');

describe('a bring-your-own secp256k1 master', () => {
  test('create → complete → orders accepted by the service; a replayed payload is rejected', async () => {
    const page = await byoPage();
    const session = await secp256k1Session(page);
    const row = service.state.sessions.get(session.id);
    assert.ok(row, 'the service knows the session');
    assert.equal(row.publicKey, session.publicKey);
    const masterKey = await page.evaluate(() => (window as unknown as { byoMaster: { publicKey: string } }).byoMaster.publicKey);
    assert.equal(row.masterPublicKey, masterKey, 'the master is the page wallet, recovered from its signature');

    for (let i = 0; i < 3; i++) {
      const sent = ok(await call<{ status: number; body: { accepted?: boolean; session_id?: string } }>(page, 'keyhold_send', [{ sessionId: session.id, path: '/api/v1/orders', requestType: PLACE_ORDER, body: order('buy', i + 1) }]));
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal(sent.body.accepted, true);
      assert.equal(sent.body.session_id, session.id);
    }
    // An attacker who captured one request (envelope and device key) cannot replay it.
    const envelope = ok(await call<Record<string, string>>(page, 'keyhold_signRequest', [{ sessionId: session.id, requestType: PLACE_ORDER, body: order('sell', 1) }]));
    const post = () => fetch(`${service.url}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': row.deviceKey! }, body: JSON.stringify(envelope) });
    assert.equal((await post()).status, 200);
    const replay = await post();
    assert.equal(replay.status, 409);
    assert.equal(((await replay.json()) as { error: { code: string } }).error.code.includes('replay'), true);
    // A role the session lacks: TRADING_ONLY may not withdraw.
    const withdrawal = Buffer.from(JSON.stringify({ asset: 'USDC', amount: 10 })).toString('base64');
    // Withdraw is a transfer in the service's descriptor: Keyhold asks the user first (issue 15).
    const sending = call<{ status: number }>(page, 'keyhold_send', [{ sessionId: session.id, path: '/api/v1/withdrawals', requestType: WITHDRAW, body: withdrawal }]);
    await approveNext(ext.context, 'Approve');
    const withdraw = ok(await sending);
    assert.equal(withdraw.status, 403);
  });

  test('logout: the service revokes and deletes the device key; both the service and Keyhold refuse the session', async () => {
    const page = await byoPage();
    const session = await secp256k1Session(page);
    const deviceKey = service.state.sessions.get(session.id)!.deviceKey!;
    const envelope = ok(await call<Record<string, string>>(page, 'keyhold_signRequest', [{ sessionId: session.id, requestType: PLACE_ORDER, body: order('buy', 1) }]));
    assert.deepEqual(ok(await call(page, 'keyhold_revokeSession', [{ sessionId: session.id }])), { revoked: true, service: 'revoked' });
    const row = service.state.sessions.get(session.id)!;
    assert.equal(row.revoked, true);
    assert.equal(row.deviceKey, null, 'device_key_deleted');
    const refused = await fetch(`${service.url}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': deviceKey }, body: JSON.stringify(envelope) });
    assert.equal(refused.status, 401);
    assert.equal((await call(page, 'keyhold_send', [{ sessionId: session.id, path: '/api/v1/orders', requestType: PLACE_ORDER, body: order('buy', 1) }])).error?.code, 4100);
    assert.equal((await call(page, 'keyhold_signRequest', [{ sessionId: session.id, requestType: 1, body: '' }])).error?.code, 4100);
  });

  test('revocation while the service is down: pending, survives a worker stop, delivered when it is back', async () => {
    const page = await byoPage();
    const session = await secp256k1Session(page);
    service.state.outage = true;
    try {
      assert.deepEqual(ok(await call(page, 'keyhold_revokeSession', [{ sessionId: session.id }])), { revoked: true, service: 'pending' });
      assert.equal((await call(page, 'keyhold_signRequest', [{ sessionId: session.id, requestType: 1, body: '' }])).error?.code, 4100, 'revoked locally at once');
      // The popup shows it as pending.
      const popup = await ext.context.newPage();
      await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
      await popup.getByRole('heading', { name: 'Revocation pending' }).waitFor();
      await popup.close();
      await stopWorker(ext.context, ext.extensionId);
    } finally {
      service.state.outage = false;
    }
    assert.equal(service.state.sessions.get(session.id)!.revoked, false, 'not delivered during the outage');
    // Any event wakes the worker; at start it delivers what it owes.
    ok(await call(page, 'keyhold_listSessions'));
    const deadline = Date.now() + 15_000;
    while (!service.state.sessions.get(session.id)!.revoked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(service.state.sessions.get(session.id)!.revoked, true, 'delivered after the restart');
  });
});

describe('a bring-your-own passkey master', () => {
  test('the page registers a passkey, signs the login with it, and the service verifies it', async () => {
    // Passkeys need a domain as RP id: the page is on localhost.
    const page = await openDapp(ext.context, server.urlB);
    await recordMessages(page);
    const cdp = await ext.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    const registered = (await page.evaluate(`(async (serviceUrl) => {
      function b64(b) { return btoa(String.fromCharCode(...new Uint8Array(b))); }
      const cred = await navigator.credentials.create({
        publicKey: {
          rp: { id: 'localhost', name: 'Keyhold test exchange' },
          user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'trader', displayName: 'Trader' },
          challenge: crypto.getRandomValues(new Uint8Array(32)),
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
        },
      });
      const body = { credential_id: b64(cred.rawId), public_key_spki: b64(cred.response.getPublicKey()), rp_id: 'localhost', origin: location.origin };
      const r = await fetch(serviceUrl + '/api/v1/passkeys/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, credentialId: body.credential_id };
    })(${JSON.stringify(service.url)})`)) as { status: number; credentialId: string };
    assert.equal(registered.status, 200);

    const pending = call<ServiceSession>(page, 'keyhold_createSession', [{ ttlSeconds: 3600, service: { baseUrl: service.url, master: 'passkey' } }]);
    // localhost (the passkey's site) and 127.0.0.1 (the service) are different parties: the second confirmation.
    await approveNext(ext.context, 'Approve', { acknowledge: true });
    const created = ok(await pending);
    assert.equal(created.status, 'pending');
    const passkey = (await page.evaluate(`(async ({ loginPayload, credentialId }) => {
      function b64(b) { return btoa(String.fromCharCode(...new Uint8Array(b))); }
      function bytes(s) { return Uint8Array.from(atob(s), (c) => c.charCodeAt(0)); }
      const challenge = await crypto.subtle.digest('SHA-256', bytes(loginPayload));
      const assertion = await navigator.credentials.get({
        publicKey: { challenge, rpId: 'localhost', allowCredentials: [{ type: 'public-key', id: bytes(credentialId) }], userVerification: 'preferred' },
      });
      const r = assertion.response;
      return { credentialId: b64(assertion.rawId), authenticatorData: b64(r.authenticatorData), clientDataJSON: b64(r.clientDataJSON), signature: b64(r.signature) };
    })(${JSON.stringify({ loginPayload: created.loginPayload!, credentialId: registered.credentialId })})`)) as Record<string, string>;
    const active = ok(await call<ServiceSession>(page, 'keyhold_completeSession', [{ sessionId: created.id, passkey }]), 'completeSession (passkey)');
    assert.equal(active.status, 'active');
    assert.ok(service.state.sessions.get(created.id), 'the service verified the passkey login');
    const sent = ok(await call<{ status: number }>(page, 'keyhold_send', [{ sessionId: created.id, path: '/api/v1/orders', requestType: PLACE_ORDER, body: order('buy', 2) }]));
    assert.equal(sent.status, 200);

    // No message the page ever received holds a device key.
    const seen = await seenBy(page);
    for (const row of service.state.sessions.values()) if (row.deviceKey) assert.ok(!seen.includes(row.deviceKey), 'a device key reached the page');
  });
});

describe('what the page sees', () => {
  test('no message to the page ever contains a device key or key bytes other than public keys', async () => {
    const page = await byoPage();
    const session = await secp256k1Session(page);
    ok(await call(page, 'keyhold_send', [{ sessionId: session.id, path: '/api/v1/orders', requestType: PLACE_ORDER, body: order('buy', 1) }]));
    ok(await call(page, 'keyhold_listSessions'));
    const deviceKey = service.state.sessions.get(session.id)!.deviceKey!;
    ok(await call(page, 'keyhold_revokeSession', [{ sessionId: session.id }]));
    const seen = await seenBy(page);
    assert.ok(seen.length > 0);
    assert.ok(!seen.includes(deviceKey), 'the device key reached the page');
    assert.ok(!/device_?key/i.test(seen), 'a device-key field reached the page');
    assert.ok(!/privateKey|private_key/.test(seen), 'a private-key field reached the page');
  });
});
