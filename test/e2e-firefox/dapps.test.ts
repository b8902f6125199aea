/**
 * Issue 18's vault items in real headless Firefox ESR (`dist-firefox/`), as
 * `test/e2e/dapps.test.ts` does them in Chromium: web3.js's personal_sign password and
 * personal_ecRecover, typed data with undeclared fields (shown as not signed, signed as EIP-712
 * hashes them), a SIWE message for another account (warned, confirmed twice), v3 refused,
 * eth_accounts [] while locked with accountsChanged on lock and unlock, chain switching and
 * adding in the approval window, and an API key created, used and revoked at the reference
 * service through the page. Signatures are checked in Node with viem. Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { verifyMessage, verifyTypedData } from 'viem';
import { startService, type RunningService } from '../../service/server.js';
import { ok, startServer, type FixtureServer, type RpcOutcome } from '../e2e/harness.js';
import { approveNext, call, decide, launchFirefox, nextApprovalPage, openDapp, openExtensionPage, type FirefoxExtension } from './harness.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const ACCOUNT = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const OTHER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const PASSWORD = 'correct horse battery';

const PERMIT = {
  types: {
    EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'chainId', type: 'uint256' }],
    Permit: [{ name: 'spender', type: 'address' }, { name: 'value', type: 'uint256' }],
  },
  primaryType: 'Permit',
  domain: { name: 'Token', chainId: 1 },
  message: { spender: '0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD', value: '1000', extraData: 'extra data not typed' },
};

type Hex = `0x${string}`;
const field = (page: Page, label: string) => page.locator(`::-p-xpath(//*[@id=//label[normalize-space(.)="${label}"]/@for])`).setTimeout(10_000);
const button = (page: Page, name: string) => page.locator(`::-p-aria([name="${name}"][role="button"])`).setTimeout(10_000);
const text = (page: Page, s: string) => page.locator(`::-p-text(${s})`).setTimeout(10_000);

function assertError(outcome: RpcOutcome, code: number, what: string): string {
  assert.ok(outcome.error, `${what}: expected error ${code}, got result ${JSON.stringify(outcome.result)?.slice(0, 200)}`);
  assert.equal(outcome.error.code, code, `${what}: wrong code (message: ${outcome.error.message})`);
  return outcome.error.message;
}

const toHex = (s: string): Hex => `0x${Buffer.from(s, 'utf8').toString('hex')}`;

describe('dapps as they call wallets, in Firefox', () => {
  let service: RunningService;
  let server: FixtureServer;
  let ff: FirefoxExtension;
  let browser: Browser;
  let dapp: Page;
  let popup: Page;

  const events = () => dapp.evaluate(() => (window as unknown as { __events: { event: string; data: unknown }[] }).__events.splice(0));
  async function eventsSoon(label: string): Promise<{ event: string; data: unknown }[]> {
    const deadline = Date.now() + 10_000;
    const seen: { event: string; data: unknown }[] = [];
    while (Date.now() < deadline) {
      seen.push(...(await events()));
      if (seen.length > 0) {
        await new Promise((r) => setTimeout(r, 200));
        return [...seen, ...(await events())];
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no event: ${label}`);
  }

  before(async () => {
    service = await startService();
    server = await startServer();
    ff = await launchFirefox();
    browser = ff.browser;
    dapp = await openDapp(browser, server.urlA);
    await dapp.evaluate(() => {
      const w = window as unknown as { __events: unknown[]; keyhold: { on(e: string, f: (d: unknown) => void): void } };
      w.__events = [];
      for (const event of ['accountsChanged', 'chainChanged']) w.keyhold.on(event, (data) => w.__events.push({ event, data }));
    });
    // Firefox's remote agent cannot navigate to moz-extension: URLs: a rejected request's window opens the popup.
    const opener = call(dapp, 'keyhold_createSession', [{ ttlSeconds: 60, label: 'opens the popup' }]);
    const approval = await nextApprovalPage(browser);
    // The vault is set up in the onboarding tab; the popup is opened from it afterwards.
    const setup = await openExtensionPage(browser, approval, 'onboarding.html');
    await decide(approval, 'Reject');
    assertError(await opener, 4001, 'the opener');
    // The install opened a welcome tab too; whichever is handed out, bring it forward to type in it.
    await setup.bringToFront();
    await setup.locator('::-p-aria([name="Existing key"][role="radio"])').setTimeout(10_000).click();
    await field(setup, 'Recovery phrase').fill(HARDHAT);
    await field(setup, 'Password').fill(PASSWORD);
    await field(setup, 'Confirm password').fill(PASSWORD);
    await button(setup, 'Import').click();
    await button(setup, 'Lock').wait();
    popup = await openExtensionPage(browser, setup, 'popup.html');
    const connect = call<string[]>(dapp, 'eth_requestAccounts');
    await approveNext(browser, 'Approve');
    assert.deepEqual(ok(await connect, 'eth_requestAccounts'), [ACCOUNT]);
    await events();
  });

  after(async () => {
    await ff?.close();
    await server?.close();
    await service?.close();
  });

  test("personal_sign with web3.js's password param signs; personal_ecRecover names the account", async () => {
    const message = 'Example `personal_sign` message';
    const pending = call<Hex>(dapp, 'personal_sign', [toHex(message), ACCOUNT, 'Example password']);
    const approval = await nextApprovalPage(browser);
    await text(approval, message).wait();
    await decide(approval, 'Approve');
    const signature = ok(await pending, 'personal_sign');
    assert.equal(await verifyMessage({ address: ACCOUNT, message, signature }), true);
    assert.equal(ok(await call(dapp, 'personal_ecRecover', [toHex(message), signature]), 'personal_ecRecover'), ACCOUNT);
  });

  test('typed data with an undeclared field: shown as not signed; the signature verifies over the page\'s data', async () => {
    const pending = call<Hex>(dapp, 'eth_signTypedData_v4', [ACCOUNT, JSON.stringify(PERMIT)]);
    const approval = await nextApprovalPage(browser);
    await text(approval, 'message.extraData').wait();
    await text(approval, 'not signed').wait();
    await decide(approval, 'Approve');
    const signature = ok(await pending, 'eth_signTypedData_v4');
    assert.equal(await verifyTypedData({ address: ACCOUNT, ...PERMIT, signature } as never), true);
  });

  test('a SIWE message naming another account is warned and needs the second confirmation', async () => {
    const host = new URL(server.urlA).host;
    const message = [`${host} wants you to sign in with your Ethereum account:`, OTHER, '', `URI: ${new URL(server.urlA).origin}`, 'Version: 1', 'Chain ID: 1', 'Nonce: abcdefgh12', `Issued At: ${new Date().toISOString()}`].join('\n');
    const pending = call<Hex>(dapp, 'personal_sign', [message, ACCOUNT]);
    const approval = await nextApprovalPage(browser);
    await text(approval, 'names the account').wait();
    await new Promise((r) => setTimeout(r, 800));
    const approveDisabled = () => approval.$$eval('button', (bs) => bs.find((b) => b.textContent?.trim() === 'Approve')?.disabled ?? null);
    assert.equal(await approveDisabled(), true, 'Approve waits for the confirmation');
    await approval.locator('input[type=checkbox]').setTimeout(10_000).click();
    await decide(approval, 'Approve');
    assert.match(ok(await pending, 'personal_sign'), /^0x[0-9a-f]{130}$/);
  });

  test('eth_signTypedData_v3 is refused as not supported (4200)', async () => {
    const message = assertError(await call(dapp, 'eth_signTypedData_v3', [ACCOUNT, '{}']), 4200, 'v3');
    assert.match(message, /does not exist \/ is not available: it is not supported by Keyhold/);
  });

  test('locked: eth_accounts [] and accountsChanged []; unlocked: the account again', async () => {
    await button(popup, 'Lock').click();
    await button(popup, 'Unlock').wait();
    assert.deepEqual(await eventsSoon('lock'), [{ event: 'accountsChanged', data: [] }]);
    assert.deepEqual(ok(await call(dapp, 'eth_accounts'), 'eth_accounts'), []);
    await field(popup, 'Password').fill(PASSWORD);
    await button(popup, 'Unlock').click();
    await button(popup, 'Lock').wait();
    assert.deepEqual(await eventsSoon('unlock'), [{ event: 'accountsChanged', data: [ACCOUNT] }]);
    assert.deepEqual(ok(await call(dapp, 'eth_accounts'), 'eth_accounts'), [ACCOUNT]);
  });

  test('wallet_switchEthereumChain and wallet_addEthereumChain, approved in the window; chainChanged follows; 4902 for a chain never added', async () => {
    const pending = call(dapp, 'wallet_switchEthereumChain', [{ chainId: '0xa' }]);
    const approval = await nextApprovalPage(browser);
    await text(approval, 'OP Mainnet (chain 10)').wait();
    await decide(approval, 'Approve');
    assert.equal(ok(await pending, 'switch'), null);
    assert.equal(ok(await call(dapp, 'eth_chainId'), 'eth_chainId'), '0xa');
    assert.deepEqual(await eventsSoon('chainChanged'), [{ event: 'chainChanged', data: '0xa' }]);
    assertError(await call(dapp, 'wallet_switchEthereumChain', [{ chainId: '0x7a69' }]), 4902, 'never added');
    const added = call(dapp, 'wallet_addEthereumChain', [{ chainId: '0x7a69', chainName: 'Anvil', rpcUrls: ['http://127.0.0.1:8545'], nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 } }]);
    const addApproval = await nextApprovalPage(browser);
    await text(addApproval, 'Anvil (chain 31337)').wait();
    await decide(addApproval, 'Approve');
    assert.equal(ok(await added, 'add'), null);
    assert.equal(ok(await call(dapp, 'eth_chainId'), 'eth_chainId'), '0x7a69');
    const back = call(dapp, 'wallet_switchEthereumChain', [{ chainId: '0x1' }]);
    await approveNext(browser, 'Approve');
    assert.equal(ok(await back, 'back'), null);
    await events();
  });

  test('an API key made through the page, used at the service, revoked through the page: the service confirms', async () => {
    const pending = call<{ id: string; publicKey: string; address: string; name: string; validUntil: number; signature: unknown }>(dapp, 'keyhold_createApiKey', [
      { name: 'Firefox key', validUntil: Date.now() + 86_400_000, service: { baseUrl: service.url } },
    ]);
    await approveNext(browser, 'Approve');
    const key = ok(await pending, 'keyhold_createApiKey');
    const created = await fetch(`${service.url}/api/v1/createApiKey`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: key.address, publicKey: key.publicKey, name: key.name, validUntil: key.validUntil, signature: key.signature }),
    });
    assert.equal(created.status, 200, await created.clone().text());
    const envelope = ok(await call(dapp, 'keyhold_signRequest', [{ sessionId: key.id, requestType: 1, body: Buffer.from('{"side":"buy","qty":1}').toString('base64') }]), 'sign');
    const used = await fetch(`${service.url}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key.publicKey }, body: JSON.stringify(envelope) });
    assert.equal(used.status, 200, await used.clone().text());
    assert.deepEqual(ok(await call(dapp, 'keyhold_revokeSession', [{ sessionId: key.id }]), 'revoke'), { revoked: true, service: 'revoked' });
    assert.notEqual(service.state.apiKeys.get(key.publicKey)?.revokedAtMs, null);
  });
});
