/**
 * The vault and the EIP-1193 wallet in real headless Firefox ESR (`dist-firefox/`): a known
 * recovery phrase is imported in the onboarding tab, a page connects and has a message and
 * typed data signed (each checked in Node by viem's own verifiers), Lock in the popup makes the
 * next signature ask for the password in the approval window, and a service session's login is
 * signed by the unlocked vault with no second prompt (checked against the reference service).
 * The popup is driven by its accessible names, as `test/e2e/wallet.test.ts` does in Chromium.
 * Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { recoverMessageAddress, recoverTypedDataAddress, verifyMessage, verifyTypedData } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { startService, type RunningService } from '../../service/server.js';
import { ok, serveSites, startServer, toBase64, type FixtureServer, type RpcOutcome } from '../e2e/harness.js';
import { approveNext, call, decide, launchFirefox, nextApprovalPage, openDapp, openExtensionPage, type FirefoxExtension } from './harness.js';

/** Hardhat's well-known test phrase; its account 0 is below. */
const HARDHAT = 'test test test test test test test test test test test junk';
const ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const PASSWORD = 'correct horse battery';

/** The Ether Mail example of EIP-712, as viem's tests and the Chromium wallet page use it. */
const TYPED = {
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  types: {
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallet', type: 'address' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person' },
      { name: 'contents', type: 'string' },
      { name: 'amount', type: 'uint256' },
    ],
  },
  primaryType: 'Mail',
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
    amount: 10n ** 20n,
  },
} as const;

/** What a dapp sends as `eth_signTypedData_v4`'s second param: JSON, with EIP712Domain, uint256 as a decimal string. */
const TYPED_JSON = JSON.stringify(
  {
    ...TYPED,
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      ...TYPED.types,
    },
  },
  (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
);

type Hex = `0x${string}`;

interface VaultView {
  exists: boolean;
  unlocked: boolean;
  accounts: string[];
}

/**
 * An input by its `<label>`, as a user finds it. Not by ARIA role: Firefox's accessibility
 * locator gives `<input type="password">` no "textbox" role, so `::-p-aria([role=textbox])`
 * never matches a secret field there.
 */
const field = (page: Page, label: string) =>
  page.locator(`::-p-xpath(//*[@id=//label[normalize-space(.)="${label}"]/@for])`).setTimeout(10_000);
const button = (page: Page, name: string) => page.locator(`::-p-aria([name="${name}"][role="button"])`).setTimeout(10_000);
const text = (page: Page, s: string) => page.locator(`::-p-text(${s})`).setTimeout(10_000);

/** The extension-page RPC the popup itself uses (`popup/rpc.ts`), called from one of Keyhold's pages. */
async function extensionRpc<T>(page: Page, method: string, params: Record<string, unknown> = {}): Promise<T> {
  const raw = await page.evaluate(
    (method, params) => {
      const ext = globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };
      return ext.browser.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method, params });
    },
    method,
    params,
  );
  const res = raw as { ok: boolean; result?: T; error?: { code: number; message: string } };
  assert.ok(res?.ok, `${method}: ${JSON.stringify(res?.error ?? res)}`);
  return res.result as T;
}

function assertError(outcome: RpcOutcome, code: number, what: string): void {
  assert.ok(outcome.error, `${what}: expected error ${code}, got result ${JSON.stringify(outcome.result)?.slice(0, 200)}`);
  assert.equal(outcome.error.code, code, `${what}: wrong code (message: ${outcome.error.message})`);
}

/** Asks for `personal_sign` of `message`; answers its approval window once it shows the text, and the pending call. */
async function personalSign(browser: Browser, dapp: Page, message: string): Promise<{ approval: Page; pending: Promise<RpcOutcome<Hex>> }> {
  const pending = call<Hex>(dapp, 'personal_sign', [message, ACCOUNT]);
  const approval = await nextApprovalPage(browser);
  await text(approval, message).wait();
  return { approval, pending };
}

async function assertSignedBy(message: string, signature: Hex): Promise<void> {
  assert.match(signature, /^0x[0-9a-f]{130}$/i);
  assert.equal(await recoverMessageAddress({ message, signature }), ACCOUNT, 'recovers to the known account');
  assert.equal(await verifyMessage({ address: ACCOUNT, message, signature }), true);
  assert.equal(await verifyMessage({ address: ACCOUNT, message: `${message}!`, signature }), false, 'not vacuous');
}

describe('the vault in Firefox', () => {
  let service: RunningService;
  let server: FixtureServer;
  let ff: FirefoxExtension;
  let browser: Browser;
  let dapp: Page;
  let popup: Page;

  before(async () => {
    service = await startService();
    server = await startServer();
    serveSites(service, server);
    ff = await launchFirefox();
    browser = ff.browser;
    dapp = await openDapp(browser, server.urlA);
  });

  after(async () => {
    await ff?.close();
    await server?.close();
    await service?.close();
  });

  test('import a known phrase in the onboarding tab → vault_status unlocked with the known account', async () => {
    // Firefox's remote agent cannot navigate to moz-extension: URLs, so a harmless approval
    // (a session request, rejected below) gives an extension page that opens the popup.
    const opener = call(dapp, 'keyhold_createSession', [{ ttlSeconds: 60, label: 'opens the popup' }]);
    const approval = await nextApprovalPage(browser);
    // The vault is set up in the onboarding tab; the popup is opened from it afterwards.
    const setup = await openExtensionPage(browser, approval, 'onboarding.html');
    await decide(approval, 'Reject');
    assertError(await opener, 4001, 'the rejected opener');

    const before = await extensionRpc<VaultView>(setup, 'vault_status');
    assert.deepEqual([before.exists, before.unlocked, before.accounts], [false, false, []], 'a fresh profile has no vault');
    // Without a vault the site is not told so: the user is asked as for any connect, and
    // declining answers 4001, as it would with a vault.
    const asked = call(dapp, 'eth_requestAccounts');
    await decide(await nextApprovalPage(browser), 'Reject');
    assertError(await asked, 4001, 'eth_requestAccounts without a vault, declined');

    // The install opened a welcome tab too; whichever is handed out, bring it forward to type in it.
    await setup.bringToFront();
    await setup.locator('::-p-aria([name="Existing key"][role="radio"])').setTimeout(10_000).click();
    const phrase = field(setup, 'Recovery phrase');
    const attrs = await (await phrase.waitHandle()).evaluate((el) => [el.getAttribute('type'), el.getAttribute('autocomplete')]);
    assert.deepEqual(attrs, ['password', 'off'], 'the phrase goes into a password field with autocomplete off');
    await phrase.fill(HARDHAT);
    await field(setup, 'Password').fill(PASSWORD);
    await field(setup, 'Confirm password').fill(PASSWORD);
    await button(setup, 'Import').click();
    await text(setup, ACCOUNT).wait();
    await button(setup, 'Lock').wait();
    popup = await openExtensionPage(browser, setup, 'popup.html');

    const status = await extensionRpc<VaultView>(popup, 'vault_status');
    assert.equal(status.exists, true);
    assert.equal(status.unlocked, true);
    assert.deepEqual(status.accounts, [ACCOUNT]);
  });

  test('eth_requestAccounts → connect approval → the known address', async () => {
    assert.deepEqual(ok(await call(dapp, 'eth_accounts'), 'eth_accounts'), [], 'not connected yet');
    const pending = call<string[]>(dapp, 'eth_requestAccounts');
    await approveNext(browser, 'Approve');
    // Lower-case, as docs/page-api.md says.
    assert.deepEqual(ok(await pending, 'eth_requestAccounts'), [ACCOUNT.toLowerCase()]);
    assert.deepEqual(ok(await call(dapp, 'eth_accounts'), 'eth_accounts'), [ACCOUNT.toLowerCase()]);
    assert.equal(ok(await call(dapp, 'eth_chainId'), 'eth_chainId'), '0x1');
  });

  test('personal_sign → approve → the signature recovers to the known address (viem, in Node)', async () => {
    const message = 'Hello from Firefox';
    const { approval, pending } = await personalSign(browser, dapp, message);
    await decide(approval, 'Approve');
    await assertSignedBy(message, ok(await pending, 'personal_sign'));
  });

  test('eth_signTypedData_v4 → approve → viem verifyTypedData', async () => {
    const pending = call<Hex>(dapp, 'eth_signTypedData_v4', [ACCOUNT, TYPED_JSON]);
    const approval = await nextApprovalPage(browser);
    await text(approval, 'Hello, Bob!').wait();
    await text(approval, 'Ether Mail').wait();
    await decide(approval, 'Approve');
    const signature = ok(await pending, 'eth_signTypedData_v4');
    assert.equal(await recoverTypedDataAddress({ ...TYPED, signature }), ACCOUNT);
    assert.equal(await verifyTypedData({ address: ACCOUNT, ...TYPED, signature }), true);
    const other = { ...TYPED, message: { ...TYPED.message, amount: 1n } };
    assert.equal(await verifyTypedData({ address: ACCOUNT, ...other, signature }), false, 'not vacuous');
  });

  test('Lock in the popup → personal_sign asks for the password in the approval window → unlock → signs', async () => {
    await button(popup, 'Lock').click();
    await button(popup, 'Unlock').wait();
    assert.equal((await extensionRpc<VaultView>(popup, 'vault_status')).unlocked, false);

    const message = 'Signed after unlocking';
    const { approval, pending } = await personalSign(browser, dapp, message);
    const password = field(approval, 'Password');
    await password.wait();
    // Past the arm delay (500 ms), Approve still waits for the vault.
    await new Promise((r) => setTimeout(r, 800));
    const approveDisabled = () =>
      approval.$$eval('button', (bs) => bs.find((b) => b.textContent?.trim() === 'Approve')?.disabled ?? null);
    assert.equal(await approveDisabled(), true, 'Approve is disabled while locked');

    await password.fill('not the password');
    await button(approval, 'Unlock').click();
    await approval.locator('::-p-text(Wrong password)').setTimeout(15_000).wait();
    assert.equal(await approveDisabled(), true, 'still locked after a wrong password');

    await password.fill(PASSWORD);
    await button(approval, 'Unlock').click();
    await decide(approval, 'Approve');
    await assertSignedBy(message, ok(await pending, 'personal_sign'));
    assert.equal((await extensionRpc<VaultView>(popup, 'vault_status')).unlocked, true);
  });

  test('a service session: the unlocked vault signs the login, so createSession answers active', async () => {
    const hd = mnemonicToAccount(HARDHAT);
    assert.equal(hd.address, ACCOUNT);
    const masterPublicKey = toBase64(hd.getHdKey().publicKey!);
    assert.equal(Buffer.from(masterPublicKey, 'base64').length, 33, 'compressed secp256k1');

    const pending = call<{ id: string; status?: string; loginPayload?: string }>(dapp, 'keyhold_createSession', [
      { ttlSeconds: 3600, service: { baseUrl: service.url } },
    ]);
    await approveNext(browser, 'Approve');
    const session = ok(await pending, 'keyhold_createSession');
    assert.equal(session.status, 'active', 'the vault signed the login: no pending step for the page');
    const atService = service.state.sessions.get(session.id);
    assert.ok(atService, 'the service accepted the login');
    assert.equal(atService.masterPublicKey, masterPublicKey, "the login was signed by the vault's known key");

    const body = Buffer.from(JSON.stringify({ side: 'buy', qty: 1 })).toString('base64');
    const sent = ok(
      await call<{ status: number; body: { accepted?: boolean } }>(dapp, 'keyhold_send', [{ sessionId: session.id, path: '/api/v1/orders', requestType: 1, body }]),
      'keyhold_send',
    );
    assert.equal(sent.status, 200);
    assert.equal(sent.body.accepted, true);
  });
});
