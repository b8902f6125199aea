/**
 * Keyhold's own master at a real service: with the vault unlocked, a session's login is signed
 * by the vault (no pending step, no second prompt); the master lists all its sessions at the
 * service (ListSessions, from any device) and revokes one this browser does not hold (master
 * RevokeSession), through the extension's pages. Real Chromium, the real reference service.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Page } from 'playwright-core';
import { MasterKey, login, start, type TestService } from '../service/helpers.js';
import { approveNext, call, launchExtension, ok, openDapp, serveSites, startServer, type Extension, type FixtureServer } from './harness.js';

/** The first account of the well-known test phrase "test test … junk". */
const HARDHAT = 'test test test test test test test test test test test junk';
const HARDHAT_KEY = Uint8Array.from(Buffer.from('ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', 'hex'));
const PASSWORD = 'correct horse battery';

let service: TestService;
let server: FixtureServer;
let ext: Extension;
let popup: Page;

/** Calls the extension-page RPC from one of Keyhold's own pages, as the popup does. */
async function rpc<T>(method: string, params: unknown): Promise<T> {
  const answer = (await popup.evaluate(
    ([m, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(x: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method: m, params: p }),
    [method, params] as const,
  )) as { ok: boolean; result?: T; error?: { code: number; message: string } };
  if (!answer.ok) throw new Error(`${method}: ${answer.error?.code} ${answer.error?.message}`);
  return answer.result as T;
}

before(async () => {
  service = await start({ testHooks: true });
  server = await startServer();
  serveSites(service, server);
  ext = await launchExtension();
  popup = await ext.context.newPage();
  // The vault is set up in the onboarding tab (an extension page too, so `rpc` runs in it).
  await popup.goto(`chrome-extension://${ext.extensionId}/onboarding.html`);
  await popup.getByRole('radio', { name: 'Existing key' }).check();
  await popup.getByLabel('Recovery phrase', { exact: true }).fill(HARDHAT);
  await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await popup.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await popup.getByRole('button', { name: 'Import', exact: true }).click();
  await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
});
after(async () => {
  await ext?.close();
  await server?.close();
  await service?.close();
});

test('with the vault unlocked, the vault signs the login: the session is active at once', async () => {
  const page = await openDapp(ext.context, server.urlA);
  const pending = call<{ id: string; status: string; loginPayload?: string }>(page, 'keyhold_createSession', [{ ttlSeconds: 3600, service: { baseUrl: service.url } }]);
  await approveNext(ext.context, 'Approve');
  const session = ok(await pending);
  assert.equal(session.status, 'active');
  assert.equal(session.loginPayload, undefined);
  const row = service.state.sessions.get(session.id);
  assert.ok(row, 'the service accepted the login');
  assert.equal(row.masterPublicKey, Buffer.from(secp256k1.getPublicKey(HARDHAT_KEY, true)).toString('base64'), 'signed by the vault\'s master');
  const body = Buffer.from(JSON.stringify({ side: 'buy', qty: 1 })).toString('base64');
  assert.equal(ok(await call<{ status: number }>(page, 'keyhold_send', [{ sessionId: session.id, path: '/api/v1/orders', requestType: 1, body }])).status, 200);
});

test('the master lists its sessions at the service and revokes one this browser does not hold', async () => {
  // "Another device": the same master logs a session in directly.
  const master = new MasterKey(HARDHAT_KEY);
  const elsewhere = await login(service, master);
  const elsewhereId = [...service.state.sessions.values()].find((s) => s.publicKey === Buffer.from(elsewhere.key.publicKey).toString('base64'))!.id;

  assert.deepEqual(await rpc<string[]>('service_known', {}), [service.url]);
  const rows = await rpc<Array<{ id: string; heldHere: boolean }>>('service_listSessions', { baseUrl: service.url });
  const here = rows.filter((r) => r.heldHere);
  assert.equal(here.length, 1, 'the session this browser logged in is marked held');
  const other = rows.find((r) => r.id === elsewhereId);
  assert.ok(other, 'the other device\'s session is listed');
  assert.equal(other.heldHere, false);

  assert.deepEqual(await rpc('service_revokeSession', { baseUrl: service.url, sessionId: elsewhereId }), { revoked: true });
  assert.equal(service.state.sessions.get(elsewhereId)!.revoked, true, 'the service confirms');
  const after = await rpc<Array<{ id: string }>>('service_listSessions', { baseUrl: service.url });
  assert.ok(!after.some((r) => r.id === elsewhereId));
  assert.equal(after.length, 1);
});

test('locked, the master signs nothing at the service: 4100', async () => {
  await rpc('vault_lock', {});
  await assert.rejects(rpc('service_listSessions', { baseUrl: service.url }), /4100/);
});
