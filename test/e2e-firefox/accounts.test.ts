/**
 * Issue 18 §2 and §3 in real headless Firefox ESR (`dist-firefox/`).
 *
 * Passkeys: Firefox 153 announces the PRF extension (`getClientCapabilities`) but refuses
 * WebAuthn to `moz-extension:` pages (SecurityError, its origin check), and Keyhold's worker has
 * no `navigator.credentials`: Firefox does not have the feature for an extension. So this checks
 * the feature detection: that refusal, and no passkey control anywhere (Settings, the unlock
 * form), while the password unlocks as before.
 *
 * Accounts: add one in Settings (viem's m/44'/60'/0'/0/1), connect a page ticking both in the
 * approval window, change the site's accounts from Home (the page hears `accountsChanged`),
 * sign with the second account (viem recovers it), and see it in Activity. Run after
 * `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { recoverMessageAddress } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { ok, startServer, type FixtureServer } from '../e2e/harness.js';
import { call, decide, launchFirefox, nextApprovalPage, openDapp, openExtensionPage, type FirefoxExtension } from './harness.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const PASSWORD = 'correct horse battery';
const addr = (i: number) => mnemonicToAccount(HARDHAT, { addressIndex: i }).address;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const field = (page: Page, label: string) =>
  page.locator(`::-p-xpath(//*[@id=//label[normalize-space(.)="${label}"]/@for])`).setTimeout(10_000);
const button = (page: Page, name: string) => page.locator(`::-p-aria([name="${name}"][role="button"])`).setTimeout(10_000);
const text = (page: Page, s: string) => page.locator(`::-p-text(${s})`).setTimeout(10_000);
/** A checkbox by the text of its label (the account's name), as a user finds it. */
const checkbox = (page: Page, name: string) =>
  page.locator(`::-p-xpath(//label[.//*[normalize-space(.)="${name}"]]//input[@type="checkbox"])`).setTimeout(10_000);
const count = (page: Page, name: string) => page.$$(`::-p-aria([name="${name}"][role="button"])`).then((l) => l.length);

async function extensionRpc<T>(page: Page, method: string, params: Record<string, unknown> = {}): Promise<T> {
  const res = (await page.evaluate(
    (method, params) => (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method, params }),
    method,
    params,
  )) as { ok: boolean; result?: T; error?: unknown };
  assert.ok(res?.ok, `${method}: ${JSON.stringify(res?.error ?? res)}`);
  return res.result as T;
}

describe('Firefox: passkeys detected as unavailable, several accounts per site', () => {
  let server: FixtureServer;
  let ff: FirefoxExtension;
  let browser: Browser;
  let dapp: Page;
  let popup: Page;

  before(async () => {
    server = await startServer();
    ff = await launchFirefox();
    browser = ff.browser;
    dapp = await openDapp(browser, server.urlA);
    // An extension page to open the popup from (Firefox's remote agent cannot navigate to moz-extension:).
    const opener = call(dapp, 'keyhold_createSession', [{ ttlSeconds: 60, label: 'opens the popup' }]);
    const approval = await nextApprovalPage(browser);
    // The vault is set up in the onboarding tab; the popup is opened from it afterwards.
    const setup = await openExtensionPage(browser, approval, 'onboarding.html');
    await decide(approval, 'Reject');
    await opener;
    await setup.bringToFront();
    await setup.locator('::-p-aria([name="Existing key"][role="radio"])').setTimeout(10_000).click();
    await field(setup, 'Recovery phrase').fill(HARDHAT);
    await field(setup, 'Password').fill(PASSWORD);
    await field(setup, 'Confirm password').fill(PASSWORD);
    await button(setup, 'Import').click();
    await button(setup, 'Lock').wait();
    popup = await openExtensionPage(browser, setup, 'popup.html');
  });
  after(async () => {
    await ff?.close();
    await server?.close();
  });

  test('WebAuthn is refused to the extension page (SecurityError) though PRF is announced; no passkey control shows', async () => {
    await popup.bringToFront();
    const probe = await popup.evaluate(async () => {
      const caps = await (PublicKeyCredential as unknown as { getClientCapabilities(): Promise<Record<string, boolean>> }).getClientCapabilities();
      try {
        await navigator.credentials.create({
          publicKey: {
            rp: { id: location.hostname, name: 'probe' }, user: { id: new Uint8Array(16), name: 'p', displayName: 'p' },
            challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          },
        });
        return { prf: caps['extension:prf'], error: null };
      } catch (e) {
        return { prf: caps['extension:prf'], error: (e as Error).name };
      }
    });
    assert.deepEqual(probe, { prf: true, error: 'SecurityError' });
    await popup.locator('::-p-aria([name="Settings"][role="tab"])').setTimeout(10_000).click();
    await text(popup, 'Selected account').wait();
    await sleep(1_000); // longer than the detection's probe
    assert.equal(await popup.$$('::-p-text(Passkeys)').then((l) => l.length), 0, 'no Passkeys panel');
    assert.equal(await count(popup, 'Add a passkey'), 0);
    await button(popup, 'Lock').click();
    await button(popup, 'Unlock').wait();
    await sleep(1_000);
    assert.equal(await count(popup, 'Unlock with a passkey'), 0);
    await field(popup, 'Password').fill(PASSWORD);
    await button(popup, 'Unlock').click();
    await button(popup, 'Lock').wait();
  });

  test("Settings → Add account: m/44'/60'/0'/0/1, named", async () => {
    await field(popup, 'New account name (optional)').fill('Trading');
    await button(popup, 'Add account').click();
    await text(popup, `Added Trading: ${addr(1)}`).wait();
    const v = await extensionRpc<{ accounts: string[]; names: string[] }>(popup, 'vault_status');
    assert.deepEqual(v.accounts, [addr(0), addr(1)]);
    assert.deepEqual(v.names, ['Account 1', 'Trading']);
  });

  test('connect ticking both accounts; Home → Change accounts → the page hears accountsChanged; Activity shows the signature', async () => {
    await dapp.evaluate(() => {
      const w = window as unknown as { seen: unknown[]; keyhold: { on(e: string, f: (d: unknown) => void): void } };
      w.seen = [];
      w.keyhold.on('accountsChanged', (a) => w.seen.push(a));
    });
    const connecting = call<string[]>(dapp, 'eth_requestAccounts');
    const approval = await nextApprovalPage(browser);
    const first = await (await checkbox(approval, 'Account 1').waitHandle()).evaluate((el) => (el as HTMLInputElement).checked);
    assert.equal(first, true, 'the selected account (the first) is ticked by default');
    await checkbox(approval, 'Trading').click();
    await decide(approval, 'Approve');
    assert.deepEqual(ok(await connecting), [addr(0).toLowerCase(), addr(1).toLowerCase()]);

    await popup.bringToFront();
    await popup.locator('::-p-aria([name="Home"][role="tab"])').setTimeout(10_000).click();
    await button(popup, 'Change accounts').click();
    await checkbox(popup, 'Account 1').click();
    await button(popup, 'Save accounts').click();
    // Polled by interval: the text locator's animation-frame polling stalls in this Firefox tab.
    await popup.waitForFunction(() => document.body.innerText.includes('now sees Trading'), { timeout: 10_000, polling: 100 });
    await dapp.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.length === 2, { timeout: 10_000 });
    const seen = await dapp.evaluate(() => (window as unknown as { seen: unknown[] }).seen);
    assert.deepEqual(seen, [[addr(0).toLowerCase(), addr(1).toLowerCase()], [addr(1).toLowerCase()]]);
    assert.deepEqual(ok(await call(dapp, 'eth_accounts')), [addr(1).toLowerCase()]);

    const signing = call<`0x${string}`>(dapp, 'personal_sign', ['hello firefox', addr(1).toLowerCase()]);
    const sign = await nextApprovalPage(browser);
    await decide(sign, 'Approve');
    assert.equal(await recoverMessageAddress({ message: 'hello firefox', signature: ok(await signing) }), addr(1));
    await popup.bringToFront();
    await popup.locator('::-p-aria([name="Activity"][role="tab"])').setTimeout(10_000).click();
    await text(popup, 'Master key signed a message').wait();
    await text(popup, addr(1).toLowerCase()).wait();
  });
});
