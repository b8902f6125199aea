/**
 * The vault and the EIP-1193 wallet end to end in real Chromium, driven by real clients no one
 * here wrote: mipd discovers Keyhold by EIP-6963; viem's wallet client (over a `custom`
 * transport) connects, signs a message, typed data and a SIWE message, each checked by viem's
 * own verifier. The vault is set up in the onboarding tab by its accessible names ("Password",
 * "Confirm password", "Create vault", "Import", "Unlock", "Lock"), keyboard included.
 * Run after `npm run build`.
 * @module
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { approveNext, launchExtension, openOnboarding, nextApprovalPage, openDapp, startServer, stopWorker, type Extension, type FixtureServer, bundleForPage, noApprovalWindow } from './harness.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const PASSWORD = 'correct horse battery';

const bundleWalletPage = (): Promise<string> => bundleForPage('test/e2e/wallet-page.ts');

const WALLET_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keyhold wallet e2e</title>
<script src="/wallet.js"></script></head><body><h1>Wallet e2e</h1></body></html>`;


async function openPopup(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  return page;
}


describe('vault setup in the onboarding tab (its own browser)', () => {
  let ext: Extension;
  before(async () => {
    ext = await launchExtension();
  });
  after(async () => {
    await ext?.close();
  });

  test('first run: Create vault shows a new phrase once, asks two words back, then Lock and Unlock (by keyboard)', async () => {
    let popup = await openOnboarding(ext.context, ext.extensionId);
    // Going on without a vault is a choice the tab remembers, and takes back.
    await popup.getByRole('button', { name: 'Continue without a vault', exact: true }).click();
    await popup.getByRole('heading', { name: 'No vault for now', exact: true }).waitFor();
    await popup.reload();
    await popup.getByRole('button', { name: 'Set up a master key', exact: true }).click();
    await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await popup.getByLabel('Confirm password', { exact: true }).fill('something else');
    await popup.getByRole('button', { name: 'Create vault', exact: true }).click();
    await popup.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    await popup.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
    await popup.getByRole('button', { name: 'Create vault', exact: true }).click();
    const words = await popup.getByRole('list', { name: 'Recovery phrase' }).getByRole('listitem').allTextContents();
    assert.equal(words.length, 12);
    // Secret inputs are password fields with autocomplete off: never saved for session restore.
    await popup.getByRole('button', { name: 'I wrote it down' }).click();
    const labels = await popup.locator('label.field__label').allTextContents();
    assert.equal(labels.length, 2);
    for (const label of labels) {
      const n = Number(/#(\d+)/.exec(label)![1]);
      const input = popup.getByLabel(label, { exact: true });
      assert.equal(await input.getAttribute('type'), 'password');
      assert.equal(await input.getAttribute('autocomplete'), 'off');
      await input.fill(words[n - 1]!);
    }
    await popup.getByRole('button', { name: 'Confirm', exact: true }).click();
    await popup.getByRole('heading', { name: 'Your vault is ready', exact: true }).waitFor();
    await popup.close();

    // Lock and Unlock in the popup, where the vault lives after its setup.
    popup = await openPopup(ext.context, ext.extensionId);
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();

    // Keyboard only: Tab to the Password field, type, Enter.
    const password = popup.getByLabel('Password', { exact: true });
    await password.waitFor();
    for (let i = 0; i < 20 && !(await password.evaluate((el) => el === document.activeElement)); i++) await popup.keyboard.press('Tab');
    assert.equal(await password.evaluate((el) => el === document.activeElement), true, 'Password is reachable by Tab');
    await popup.keyboard.type('wrong password');
    await popup.keyboard.press('Enter');
    await popup.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor();
    await password.fill('');
    await popup.keyboard.type(PASSWORD);
    await popup.keyboard.press('Enter');
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
    assert.equal(await popup.getByRole('button', { name: 'Unlock', exact: true }).count(), 0);
  });
});

describe('the wallet with viem, mipd and SIWE', () => {
  let server: FixtureServer;
  let ext: Extension;
  let dapp: Page;
  let walletUrl: string;

  before(async () => {
    server = await startServer({
      '/wallet.js': { type: 'text/javascript; charset=utf-8', body: await bundleWalletPage() },
      '/wallet.html': { type: 'text/html; charset=utf-8', body: WALLET_HTML },
    });
    walletUrl = `${server.originA}/wallet.html`;
    ext = await launchExtension();
    // Import a known phrase in the onboarding tab.
    const popup = await openOnboarding(ext.context, ext.extensionId);
    await popup.getByRole('radio', { name: 'Existing key' }).check();
    const phrase = popup.getByLabel('Recovery phrase', { exact: true });
    assert.equal(await phrase.getAttribute('type'), 'password');
    assert.equal(await phrase.getAttribute('autocomplete'), 'off');
    await phrase.fill(HARDHAT);
    await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await popup.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
    await popup.getByRole('button', { name: 'Import', exact: true }).click();
    await popup.getByText(ACCOUNT).waitFor();
    await popup.close();
    dapp = await openDapp(ext.context, walletUrl);
  });

  after(async () => {
    await ext?.close();
    await server?.close();
  });

  test('mipd discovers Keyhold by EIP-6963', async () => {
    const found = await dapp.evaluate(() => window.walletTest.discovered());
    const keyhold = found.find((p) => p.rdns === 'dev.keyhold');
    assert.ok(keyhold, JSON.stringify(found));
    assert.equal(keyhold.name, 'Keyhold');
    assert.match(keyhold.icon, /^data:image\/svg\+xml;base64,/);
  });

  test('viem connects after a connect approval; the page hears connect and accountsChanged', async () => {
    await dapp.evaluate(() => window.walletTest.listen());
    const pending = dapp.evaluate(() => window.walletTest.connect());
    await approveNext(ext.context, 'Approve');
    const { addresses, chainId, accounts } = await pending;
    assert.deepEqual(addresses, [ACCOUNT]);
    assert.deepEqual(accounts, [ACCOUNT]);
    assert.equal(chainId, 1);
    const events = await dapp.evaluate(() => window.walletTest.events());
    assert.deepEqual(events.map((e) => e.event), ['connect', 'accountsChanged']);
    assert.deepEqual(events[1]!.data, [ACCOUNT.toLowerCase()]);
  });

  test('viem signMessage, checked by viem verifyMessage', async () => {
    await noApprovalWindow(ext.context);
    const pending = dapp.evaluate(() => window.walletTest.signMessage('Hello from viem'));
    const approval = await nextApprovalPage(ext.context);
    await approval.getByText('Hello from viem').waitFor();
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    const { valid } = await pending;
    assert.equal(valid, true);
  });

  test('viem signTypedData, shown as a tree, checked by viem verifyTypedData', async () => {
    await noApprovalWindow(ext.context);
    const pending = dapp.evaluate(() => window.walletTest.signTypedData());
    const approval = await nextApprovalPage(ext.context);
    await approval.getByText('Hello, Bob!').waitFor();
    await approval.getByText('Ether Mail').waitFor();
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    assert.equal((await pending).valid, true);
  });

  test('a SIWE message made by viem/siwe: fields shown, checked by verifySiweMessage', async () => {
    await noApprovalWindow(ext.context);
    const pending = dapp.evaluate(() => window.walletTest.siwe());
    const approval = await nextApprovalPage(ext.context);
    await approval.getByRole('heading', { name: 'Sign-in request' }).waitFor();
    await approval.getByText('Sign in to the e2e dapp.').waitFor();
    assert.equal(await approval.getByRole('checkbox').count(), 0, 'no second confirmation for its own domain');
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    assert.equal((await pending).valid, true);
  });

  test('a SIWE message for another domain warns and needs a deliberate second confirmation', async () => {
    await noApprovalWindow(ext.context);
    const pending = dapp.evaluate(() => window.walletTest.siwe('bank.example'));
    const approval = await nextApprovalPage(ext.context);
    await approval.getByRole('alert').filter({ hasText: 'bank.example' }).waitFor();
    const approve = approval.getByRole('button', { name: 'Approve', exact: true });
    await new Promise((r) => setTimeout(r, 700)); // past the arm delay
    assert.equal(await approve.isDisabled(), true, 'Approve waits for the confirmation');
    await approval.getByRole('checkbox').check();
    await approve.click();
    assert.equal((await pending).valid, true);
  });

  test('node methods answer 4200: Keyhold signs but does not send transactions', async () => {
    for (const method of ['eth_sendTransaction', 'eth_call', 'eth_getBalance', 'eth_signTransaction']) {
      const err = await dapp.evaluate((m) => window.walletTest.error(m), method);
      assert.equal(err?.code, 4200, method);
      assert.match(err!.message!, /does not send transactions/);
    }
  });

  test('unlocked survives a worker stop: personal_sign works without the password', async () => {
    await noApprovalWindow(ext.context);
    const { wasRunning } = await stopWorker(ext.context, ext.extensionId);
    assert.equal(wasRunning, true);
    const pending = dapp.evaluate(() => window.walletTest.signMessage('after a restart'));
    const approval = await nextApprovalPage(ext.context);
    await approval.getByText('after a restart').waitFor();
    assert.equal(await approval.getByRole('button', { name: 'Unlock', exact: true }).count(), 0, 'still unlocked');
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    assert.equal((await pending).valid, true);
  });

  test('locked from the popup: the approval window asks to unlock first', async () => {
    await noApprovalWindow(ext.context);
    const popup = await openPopup(ext.context, ext.extensionId);
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    await popup.getByRole('button', { name: 'Unlock', exact: true }).waitFor();
    await popup.close();
    // A dapp keeps the address it was given: eth_accounts is [] while locked.
    const pending = dapp.evaluate((a) => window.walletTest.signMessage('while locked', a), ACCOUNT as `0x${string}`);
    const approval = await nextApprovalPage(ext.context);
    const approve = approval.getByRole('button', { name: 'Approve', exact: true });
    await approval.getByLabel('Password', { exact: true }).waitFor();
    assert.equal(await approve.isDisabled(), true);
    await approval.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await approval.getByRole('button', { name: 'Unlock', exact: true }).click();
    await approve.click();
    assert.equal((await pending).valid, true);
  });
});
