/**
 * Issue 18 §1 and §4 in real Chromium with the built extension: Keyhold called as today's dapps
 * call a wallet (MetaMask's test dapp's params, ethers v6, viem), each answer checked in the
 * page by the dapp's own library and here; and an API key made through the page, registered at
 * the real reference service, used for an order, and revoked through the page and from the
 * popup, the service confirming each. Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { start, type TestService } from '../service/helpers.js';
import { approveNext, bundleForPage, launchExtension, nextApprovalPage, noApprovalWindow, openDapp, openOnboarding, startServer, type Extension, type FixtureServer } from './harness.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const ACCOUNT = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const OTHER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const PASSWORD = 'correct horse battery';

const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keyhold dapps e2e</title>
<script src="/dapps.js"></script></head><body><h1>Dapps e2e</h1></body></html>`;

/** Uniswap's PermitBatch, sent with fields its types do not declare (as the issue found). */
const PERMIT = {
  types: {
    EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }],
    PermitDetails: [{ name: 'token', type: 'address' }, { name: 'amount', type: 'uint160' }, { name: 'expiration', type: 'uint48' }, { name: 'nonce', type: 'uint48' }],
    PermitBatch: [{ name: 'details', type: 'PermitDetails[]' }, { name: 'spender', type: 'address' }, { name: 'sigDeadline', type: 'uint256' }],
  },
  primaryType: 'PermitBatch',
  domain: { name: 'Permit2', chainId: 1, verifyingContract: '0x000000000022D473030F116dDEE9F6B43aC78BA3' },
  message: {
    details: [{ token: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', amount: '1000000', expiration: 1900000000, nonce: 0 }],
    spender: '0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD',
    sigDeadline: '1900000000',
    extraData: 'extra data not typed',
  },
};

let service: TestService;
let server: FixtureServer;
let ext: Extension;
let dapp: Page;

async function openPopup(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  return page;
}

async function eventsSoon(page: Page, what: (e: { event: string; data: unknown }[]) => boolean, label: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = await page.evaluate(() => window.dappsTest.events());
    if (what(events)) return events;
    if (Date.now() > deadline) throw new Error(`${label}: ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  service = await start();
  server = await startServer({
    '/dapps.js': { type: 'text/javascript; charset=utf-8', body: await bundleForPage('test/e2e/dapps-page.ts') },
    '/dapps.html': { type: 'text/html; charset=utf-8', body: HTML },
  });
  ext = await launchExtension();
  const popup = await openOnboarding(ext.context, ext.extensionId);
  await popup.getByRole('radio', { name: 'Existing key' }).check();
  await popup.getByLabel('Recovery phrase', { exact: true }).fill(HARDHAT);
  await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await popup.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await popup.getByRole('button', { name: 'Import', exact: true }).click();
  await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
  await popup.close();
  dapp = await openDapp(ext.context, `${server.originA}/dapps.html`);
  await dapp.evaluate(() => window.dappsTest.listen());
  const connected = dapp.evaluate(() => window.dappsTest.raw('eth_requestAccounts'));
  await approveNext(ext.context, 'Approve');
  assert.deepEqual(await connected, { result: [ACCOUNT] });
});

after(async () => {
  await ext?.close();
  await server?.close();
  await service?.close();
});

describe('dapps as they call wallets today', () => {
  test("Personal Sign with web3.js's password param: signed; personal_ecRecover names the account", async () => {
    await noApprovalWindow(ext.context);
    const pending = dapp.evaluate((a) => window.dappsTest.web3PersonalSign(a, 'Example `personal_sign` message'), ACCOUNT);
    const approval = await nextApprovalPage(ext.context);
    await approval.getByText('Example `personal_sign` message').waitFor();
    assert.equal(await approval.getByText('Example password').count(), 0, 'the password is not shown');
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    const out = (await pending) as { valid: boolean; recovered: { result: string } };
    assert.equal(out.valid, true);
    assert.deepEqual(out.recovered, { result: ACCOUNT });
  });

  test('typed data with undeclared fields: shown as not signed, signed as EIP-712 hashes it (viem verifies the page\'s data)', async () => {
    await noApprovalWindow(ext.context);
    const pending = dapp.evaluate(([a, t]) => window.dappsTest.signTypedJson(a, t), [ACCOUNT, PERMIT] as const);
    const approval = await nextApprovalPage(ext.context);
    const unsigned = approval.getByRole('region', { name: 'Not signed' });
    await unsigned.waitFor();
    await unsigned.getByText('message.extraData').waitFor();
    await unsigned.getByText('"extra data not typed"').waitFor();
    assert.equal(await unsigned.getByText('not signed', { exact: true }).count(), 1);
    // The signed tree does not hold it.
    assert.equal(await approval.getByLabel('Message').getByText('extra data not typed').count(), 0);
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    assert.equal(((await pending) as { valid: boolean }).valid, true);
  });

  test("malformed typed data is refused in Keyhold's words, before any window", async () => {
    const bad = { ...PERMIT, message: { ...PERMIT.message, spender: 42 } };
    const out = await dapp.evaluate(([a, t]) => window.dappsTest.signTypedJson(a, t), [ACCOUNT, bad] as const);
    assert.deepEqual(out, { error: { code: -32602, message: 'message.spender must be a 0x-prefixed 20-byte address.' } });
    const missing = { ...PERMIT, message: { details: PERMIT.message.details } };
    const out2 = (await dapp.evaluate(([a, t]) => window.dappsTest.signTypedJson(a, t), [ACCOUNT, missing] as const)) as { error: { code: number; message: string } };
    assert.equal(out2.error.code, -32602);
    assert.match(out2.error.message, /^message\.spender is missing \(declared as address\)/);
    await noApprovalWindow(ext.context, 1_000);
  });

  test('a SIWE message naming another account warns, and needs the deliberate second confirmation', async () => {
    await noApprovalWindow(ext.context);
    const host = new URL(server.originA).host;
    const message = [
      `${host} wants you to sign in with your Ethereum account:`, OTHER, '', 'Sign in to the dapp.', '',
      `URI: ${server.originA}`, 'Version: 1', 'Chain ID: 1', 'Nonce: abcdefgh12', `Issued At: ${new Date().toISOString()}`,
    ].join('\n');
    const pending = dapp.evaluate(([m, a]) => window.dappsTest.raw('personal_sign', [m, a]), [message, ACCOUNT] as const);
    const approval = await nextApprovalPage(ext.context);
    await approval.getByRole('alert').filter({ hasText: 'names the account' }).waitFor();
    const approve = approval.getByRole('button', { name: 'Approve', exact: true });
    await new Promise((r) => setTimeout(r, 700)); // past the arm delay
    assert.equal(await approve.isDisabled(), true, 'Approve waits for the confirmation');
    await approval.getByRole('checkbox', { name: /another account/ }).check();
    await approve.click();
    const out = (await pending) as { result: string };
    assert.match(out.result, /^0x[0-9a-f]{130}$/);
  });

  test('eth_signTypedData (v1) and _v3 are refused as not supported (4200); ethers v6 sees UNSUPPORTED_OPERATION', async () => {
    for (const method of ['eth_signTypedData', 'eth_signTypedData_v3']) {
      const out = (await dapp.evaluate(([m, a]) => window.dappsTest.raw(m, [a, '{}']), [method, ACCOUNT] as const)) as { error: { code: number; message: string } };
      assert.equal(out.error.code, 4200, method);
      assert.match(out.error.message, /not supported by Keyhold/);
      assert.doesNotMatch(out.error.message, /node/);
    }
    for (const [method, params] of [['eth_signTypedData_v3', [ACCOUNT, '{}']], ['eth_getBalance', [ACCOUNT, 'latest']], ['wallet_watchAsset', []]] as const) {
      const out = await dapp.evaluate(([m, p]) => window.dappsTest.ethersSend(m, [...p]), [method, params] as const);
      assert.deepEqual(out, { code: 'UNSUPPORTED_OPERATION', unsupported: true, shortMessage: 'unsupported operation' }, method);
    }
  });

  test('locked: eth_accounts is [] and accountsChanged [] fires; unlocked: the account again', async () => {
    await dapp.evaluate(() => window.dappsTest.clearEvents());
    const popup = await openPopup(ext.context);
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    await popup.getByRole('button', { name: 'Unlock', exact: true }).waitFor();
    await eventsSoon(dapp, (e) => e.some((x) => x.event === 'accountsChanged'), 'accountsChanged on lock');
    assert.deepEqual(await dapp.evaluate(() => window.dappsTest.events()), [{ event: 'accountsChanged', data: [] }]);
    assert.deepEqual(await dapp.evaluate(() => window.dappsTest.raw('eth_accounts')), { result: [] });
    await dapp.evaluate(() => window.dappsTest.clearEvents());
    await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await popup.getByRole('button', { name: 'Unlock', exact: true }).click();
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
    await eventsSoon(dapp, (e) => e.some((x) => x.event === 'accountsChanged'), 'accountsChanged on unlock');
    assert.deepEqual(await dapp.evaluate(() => window.dappsTest.events()), [{ event: 'accountsChanged', data: [ACCOUNT] }]);
    assert.deepEqual(await dapp.evaluate(() => window.dappsTest.raw('eth_accounts')), { result: [ACCOUNT] });
    await popup.close();
  });

  test('viem switchChain to a chain Keyhold knows: the user approves in the window; chainChanged follows; 4902 only for a chain never added; addChain then switches', async () => {
    await noApprovalWindow(ext.context);
    await dapp.evaluate(() => window.dappsTest.clearEvents());
    const pending = dapp.evaluate(() => window.dappsTest.viemSwitch(8453));
    const approval = await nextApprovalPage(ext.context);
    await approval.getByRole('heading', { name: 'Switch network request' }).waitFor();
    await approval.getByText('Base (chain 8453)').waitFor();
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    assert.deepEqual(await pending, { chainId: 8453 });
    await eventsSoon(dapp, (e) => e.some((x) => x.event === 'chainChanged'), 'chainChanged');
    assert.deepEqual((await dapp.evaluate(() => window.dappsTest.events())).filter((e) => e.event === 'chainChanged'), [{ event: 'chainChanged', data: '0x2105' }]);
    // Typed data now must be for chain 8453.
    const wrongChain = (await dapp.evaluate(([a, t]) => window.dappsTest.signTypedJson(a, t), [ACCOUNT, PERMIT] as const)) as { error: { code: number; message: string } };
    assert.equal(wrongChain.error.code, -32602);
    assert.match(wrongChain.error.message, /active chain is 8453/);

    // A chain never added: 4902, no window (wagmi then adds it).
    await noApprovalWindow(ext.context);
    assert.deepEqual(await dapp.evaluate(() => window.dappsTest.viemSwitch(31337)), { error: { code: 4902, name: 'SwitchChainError' } });
    await noApprovalWindow(ext.context, 1_000);
    const added = dapp.evaluate(() => window.dappsTest.viemAdd(31337, 'Anvil'));
    const addApproval = await nextApprovalPage(ext.context);
    await addApproval.getByRole('heading', { name: 'Add network request' }).waitFor();
    await addApproval.getByText('Anvil (chain 31337)').waitFor();
    await addApproval.getByText('http://127.0.0.1:8545/').waitFor();
    await addApproval.getByRole('button', { name: 'Approve', exact: true }).click();
    assert.deepEqual(await added, { chainId: 31337 });
    // Rejecting a switch changes nothing.
    await noApprovalWindow(ext.context);
    const rejected = dapp.evaluate(() => window.dappsTest.viemSwitch(1));
    await approveNext(ext.context, 'Reject');
    assert.deepEqual(await rejected, { error: { code: 4001, name: 'UserRejectedRequestError' } });
    assert.deepEqual(await dapp.evaluate(() => window.dappsTest.raw('eth_chainId')), { result: '0x7a69' });
    // Back to mainnet for what follows.
    await noApprovalWindow(ext.context);
    const back = dapp.evaluate(() => window.dappsTest.viemSwitch(1));
    await approveNext(ext.context, 'Approve');
    assert.deepEqual(await back, { chainId: 1 });
  });
});

describe('API keys end to end, at the reference service', () => {
  async function createKey(name: string) {
    await noApprovalWindow(ext.context);
    const pending = dapp.evaluate(([u, n]) => window.dappsTest.createApiKey(u, n), [service.url, name] as const);
    const approval = await nextApprovalPage(ext.context);
    await approval.getByRole('heading', { name: 'API key request' }).waitFor();
    await approval.getByText(new URL(service.url).host).first().waitFor();
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    const out = (await pending) as { key: { id: string; publicKey: string }; status: number; body: { api_key: string } };
    assert.equal(out.status, 200, JSON.stringify(out.body));
    assert.equal(out.body.api_key, out.key.publicKey);
    assert.equal(service.state.apiKeys.get(out.key.publicKey)?.address, ACCOUNT, 'the service recovered the vault\'s account');
    return out.key;
  }

  async function order(key: { id: string; publicKey: string }) {
    const signed = (await dapp.evaluate((id) => window.dappsTest.signOrder(id), key.id)) as { result: unknown };
    assert.ok('result' in signed, JSON.stringify(signed));
    return signed.result;
  }

  test('made through the page, used for an order, revoked through the page: the service confirms each', async () => {
    const key = await createKey('Trading bot');
    const envelope = await order(key);
    const used = await dapp.evaluate(([u, k, e]) => window.dappsTest.postOrder(u, k, e), [service.url, key.publicKey, envelope] as const);
    assert.equal(used.status, 200, JSON.stringify(used.body));
    assert.equal(used.body.session_id, `api-key:${key.publicKey}`);
    const unsent = await order(key);
    assert.deepEqual(await dapp.evaluate((id) => window.dappsTest.raw('keyhold_revokeSession', [{ sessionId: id }]), key.id), { result: { revoked: true, service: 'revoked' } });
    assert.notEqual(service.state.apiKeys.get(key.publicKey)?.revokedAtMs, null, 'revoked at the service');
    const late = await dapp.evaluate(([u, k, e]) => window.dappsTest.postOrder(u, k, e), [service.url, key.publicKey, unsent] as const);
    assert.equal(late.status, 401);
    assert.equal(late.body.error.code, 'api_key_revoked');
    const gone = (await dapp.evaluate((id) => window.dappsTest.signOrder(id), key.id)) as { error: { code: number } };
    assert.equal(gone.error.code, 4100, 'Keyhold deleted the key');
  });

  test('revoked from the popup: the service confirms, the key is gone here', async () => {
    const key = await createKey('Desk key');
    const unsent = await order(key);
    const popup = await openPopup(ext.context);
    const card = popup.getByRole('article', { name: 'Desk key', exact: true });
    await card.getByText(new URL(service.url).host).waitFor();
    await card.getByRole('button', { name: 'Revoke', exact: true }).click();
    await card.getByText('Revoke this API key?').waitFor();
    await card.getByRole('button', { name: 'Revoke API key', exact: true }).click();
    await card.waitFor({ state: 'detached' });
    assert.notEqual(service.state.apiKeys.get(key.publicKey)?.revokedAtMs, null, 'revoked at the service');
    const late = await dapp.evaluate(([u, k, e]) => window.dappsTest.postOrder(u, k, e), [service.url, key.publicKey, unsent] as const);
    assert.equal(late.body.error.code, 'api_key_revoked');
    await popup.close();
  });
});
