/**
 * A service session in real Firefox ESR against the real reference service: the page's own
 * secp256k1 wallet signs the login, Keyhold's background script posts it, orders go through
 * `keyhold_send` with the device key, and revoking logs the session out at the service.
 * @module
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startService, type RunningService } from '../../service/server.js';
import { ok, serveSites, startServer, type FixtureServer, bundleForPage } from '../e2e/harness.js';
import { approveNext, call, launchFirefox, openDapp, type FirefoxExtension } from './harness.js';

interface ServiceSession {
  id: string;
  status?: string;
  loginPayload?: string;
}

let service: RunningService;
let server: FixtureServer;
let ff: FirefoxExtension;

before(async () => {
  service = await startService();
  const byo = await bundleForPage('test/e2e/byo-master.ts');
  server = await startServer({ '/byo.js': { type: 'text/javascript', body: byo } });
  serveSites(service, server);
  ff = await launchFirefox();
});
after(async () => {
  await ff?.close();
  await server?.close();
  await service?.close();
});

test('Firefox: create → the page wallet signs the login → orders accepted → revoke logs out at the service', async () => {
  const page = await openDapp(ff.browser, server.urlA);
  await page.addScriptTag({ url: '/byo.js' });
  const address = (await page.evaluate('window.byoMaster.address')) as string;
  const pending = call<ServiceSession>(page, 'keyhold_createSession', [{ ttlSeconds: 3600, service: { baseUrl: service.url, address } }]);
  await approveNext(ff.browser, 'Approve');
  const created = ok(await pending, 'createSession');
  assert.equal(created.status, 'pending');
  const signature = (await page.evaluate(`window.byoMaster.signLoginPayload(${JSON.stringify(created.loginPayload)})`)) as string;
  const active = ok(await call<ServiceSession>(page, 'keyhold_completeSession', [{ sessionId: created.id, signature }]), 'completeSession');
  assert.equal(active.status, 'active');
  assert.ok(service.state.sessions.get(created.id), 'the service accepted the login');

  const body = Buffer.from(JSON.stringify({ side: 'buy', qty: 1 })).toString('base64');
  const sent = ok(await call<{ status: number; body: { accepted?: boolean } }>(page, 'keyhold_send', [{ sessionId: created.id, path: '/api/v1/orders', requestType: 1, body }]));
  assert.equal(sent.status, 200);
  assert.equal(sent.body.accepted, true);

  assert.deepEqual(ok(await call(page, 'keyhold_revokeSession', [{ sessionId: created.id }])), { revoked: true, service: 'revoked' });
  assert.equal(service.state.sessions.get(created.id)!.revoked, true);
  assert.equal((await call(page, 'keyhold_send', [{ sessionId: created.id, path: '/api/v1/orders', requestType: 1, body }])).error?.code, 4100);
});
