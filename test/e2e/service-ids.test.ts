/**
 * Service sessions end to end with `@keyhold/client` in the page, against the reference service
 * run both ways: keeping the id Keyhold proposes, and assigning its own ids (issue 11 §3). Real
 * Chromium, the built extension, the real service. With assigned ids the page and the popup see
 * the service's id beside Keyhold's, orders are accepted under it, and the logout names it.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startService, type RunningService } from '../../service/server.js';
import { approveNext, bundleForPage, launchExtension, openDapp, startServer, type Extension, type FixtureServer } from './harness.js';

type Kh = typeof import('../../packages/client/src/index.js') & { wallet: import('../../packages/client/src/index.js').Eip1193Provider; address: string };

interface PageSession {
  id: string;
  publicKey: string;
  status?: string;
  service?: { baseUrl: string; sessionId?: string };
}

let server: FixtureServer;
let ext: Extension;

before(async () => {
  const script = await bundleForPage('test/e2e/client-page.ts');
  server = await startServer({ '/client.js': { type: 'text/javascript', body: script } });
  ext = await launchExtension();
});
after(async () => {
  await ext?.close();
  await server?.close();
});

async function clientPage(): Promise<Page> {
  const page = await openDapp(ext.context, server.urlA);
  await page.addScriptTag({ url: '/client.js' });
  return page;
}

/** findKeyhold → createSession (approved in the window) → completeWithWallet, in the page. */
async function logIn(page: Page, baseUrl: string): Promise<PageSession> {
  const session = page.evaluate(async (baseUrl) => {
    const kh = (window as unknown as { kh: Kh }).kh;
    const keyhold = (await kh.findKeyhold({ timeoutMs: 5_000 }))!;
    const created = await kh.createSession(keyhold, { ttlSeconds: 3600, requestTypes: [1], service: { baseUrl, address: kh.address } });
    const { publicKeyBytes: _k, loginPayloadBytes: _p, ...active } = await kh.completeWithWallet(keyhold, kh.wallet, created);
    return active;
  }, baseUrl);
  await approveNext(ext.context, 'Approve');
  return session as Promise<PageSession>;
}

/** `send` of an order, in the page. */
const sendOrder = (page: Page, sessionId: string) =>
  page.evaluate(async (sessionId) => {
    const kh = (window as unknown as { kh: Kh }).kh;
    const keyhold = (await kh.findKeyhold({ timeoutMs: 5_000 }))!;
    return kh.send<{ session_id?: string }>(keyhold, { sessionId, path: '/api/v1/orders', requestType: 1, body: JSON.stringify({ side: 'buy', qty: 1 }) });
  }, sessionId);

/** `revokeSession`, in the page. */
const revoke = (page: Page, sessionId: string) =>
  page.evaluate(async (sessionId) => {
    const kh = (window as unknown as { kh: Kh }).kh;
    return kh.revokeSession((await kh.findKeyhold({ timeoutMs: 5_000 }))!, sessionId);
  }, sessionId);

for (const assign of [false, true]) {
  describe(assign ? 'a service that assigns its own session ids' : "a service that keeps Keyhold's session ids", () => {
    let service: RunningService;
    before(async () => {
      service = await startService({ sites: [server.originA], assignSessionIds: assign });
    });
    after(async () => service?.close());

    test('log in with the page wallet, place an order, see the id, log out', async () => {
      const page = await clientPage();
      const s = await logIn(page, service.url);
      assert.equal(s.status, 'active');
      const rows = [...service.state.sessions.values()].filter((r) => r.publicKey === s.publicKey);
      assert.equal(rows.length, 1, 'the service registered this key once');
      const serviceId = rows[0]!.id;
      if (assign) {
        assert.notEqual(serviceId, s.id, 'the service assigned its own id');
        assert.deepEqual(s.service, { baseUrl: service.url, sessionId: serviceId }, "the page sees the service's id beside Keyhold's");
      } else {
        assert.equal(serviceId, s.id);
        assert.deepEqual(s.service, { baseUrl: service.url });
      }
      const sent = await sendOrder(page, s.id);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal(sent.body.session_id, serviceId);

      const popup = await ext.context.newPage();
      await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
      // Ids and keys are a session card's developer details, behind its disclosure.
      const details = popup.locator('summary', { hasText: 'Details' });
      await details.first().waitFor();
      for (const summary of await details.all()) await summary.click();
      await popup.getByText(`Key ${s.publicKey.slice(0, 6)}`, { exact: false }).or(popup.getByTitle(`Public key ${s.publicKey}`)).first().waitFor();
      assert.equal(await popup.getByText(serviceId, { exact: true }).count(), assign ? 1 : 0, 'the popup shows the service id only when it differs');
      await popup.close();

      assert.deepEqual(await revoke(page, s.id), { revoked: true, service: 'revoked' });
      assert.equal(service.state.sessions.get(serviceId)!.revoked, true, 'the logout named the id the service knows');
      assert.equal(service.state.sessions.get(serviceId)!.deviceKey, null);
      await page.close();
    });
  });
}
