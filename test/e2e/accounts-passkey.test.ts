/**
 * Issue 18 §2 and §3 end to end in real Chromium, driven through the popup and the approval
 * window by their accessible names.
 *
 * Passkeys: Chromium's own WebAuthn stack with a CDP virtual authenticator that has the PRF
 * extension (`WebAuthn.addVirtualAuthenticator` with `hasPrf: true`), on Keyhold's
 * `chrome-extension://` popup page, rpId = the extension's id. Enrol ("Add a passkey", with the
 * password), Lock, "Unlock with a passkey", sign (checked by viem), change the password (the
 * passkey still unlocks, the new password too), remove the passkey (the button goes, the
 * password still unlocks). An authenticator without PRF is refused with a clear message.
 *
 * Accounts: add an account in Settings (its address is viem's m/44'/60'/0'/0/1), select it,
 * connect a page (the approval ticks the selected account; the user ticks another too), change
 * the site's accounts from Home (the page hears `accountsChanged`), and the master signature
 * shows in Activity with its account. Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { recoverMessageAddress } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { call, launchExtension, nextApprovalPage, noApprovalWindow, ok, openDapp, openOnboarding, startServer, type Extension, type FixtureServer } from './harness.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const PASSWORD = 'correct horse battery';
const addr = (i: number) => mnemonicToAccount(HARDHAT, { addressIndex: i }).address;

async function openPopup(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  return page;
}

/** Imports the Hardhat phrase in the onboarding tab's form (a page of its own, closed after). */
async function importVault(context: BrowserContext, extensionId: string): Promise<void> {
  const popup = await openOnboarding(context, extensionId);
  await popup.getByRole('radio', { name: 'Existing key' }).check();
  await popup.getByLabel('Recovery phrase', { exact: true }).fill(HARDHAT);
  await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await popup.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await popup.getByRole('button', { name: 'Import', exact: true }).click();
  await popup.getByText(addr(0)).waitFor();
  await popup.close();
}

/** The extension RPC from one of Keyhold's own pages, as the popup calls it. */
async function rpc<T>(page: Page, method: string, params: unknown): Promise<T> {
  const r = await page.evaluate(
    ({ method, params }) => chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method, params }),
    { method, params },
  );
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

type RpcAnswer = { ok: true; result: unknown } | { ok: false; error: { code: number; message: string } };
declare global {
  // The extension page's own runtime, as Keyhold's pages call the worker.
  // eslint-disable-next-line no-var
  var chrome: { runtime: { sendMessage(m: unknown): Promise<RpcAnswer> } };
}

async function virtualAuthenticator(context: BrowserContext, page: Page, hasPrf: boolean): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
      automaticPresenceSimulation: true, hasPrf,
    },
  });
  return { cdp, id: authenticatorId };
}

describe('unlock with a passkey (WebAuthn PRF, CDP virtual authenticator)', () => {
  let server: FixtureServer;
  let ext: Extension;
  let popup: Page;
  let auth: { cdp: CDPSession; id: string };

  before(async () => {
    server = await startServer();
    ext = await launchExtension();
    await importVault(ext.context, ext.extensionId);
    popup = await openPopup(ext.context, ext.extensionId);
    auth = await virtualAuthenticator(ext.context, popup, true);
  });
  after(async () => {
    await ext?.close();
    await server?.close();
  });

  test('the browser announces PRF on the extension page, and the rpId is the extension id', async () => {
    const caps = await popup.evaluate(() => (PublicKeyCredential as unknown as { getClientCapabilities(): Promise<Record<string, boolean>> }).getClientCapabilities());
    assert.equal(caps['extension:prf'], true);
    assert.equal(await popup.evaluate(() => location.hostname), ext.extensionId);
  });

  test('enrol with the password in Settings, Lock, "Unlock with a passkey", and the keys sign as before', async () => {
    await popup.getByRole('tab', { name: 'Settings' }).click();
    await popup.getByLabel('Passkey name', { exact: true }).fill('Laptop');
    // A wrong password: nothing is enrolled.
    await popup.getByLabel('Password to add a passkey', { exact: true }).fill('wrong password');
    await popup.getByRole('button', { name: 'Add a passkey', exact: true }).click();
    await popup.getByRole('status').filter({ hasText: 'Wrong password' }).waitFor();
    assert.equal((await rpc<{ passkeys: unknown[] }>(popup, 'vault_status', {})).passkeys.length, 0);
    // Refused before the authenticator was asked: no orphan passkey on it.
    assert.equal((await auth.cdp.send('WebAuthn.getCredentials', { authenticatorId: auth.id })).credentials.length, 0);
    await popup.getByLabel('Password to add a passkey', { exact: true }).fill(PASSWORD);
    await popup.getByRole('button', { name: 'Add a passkey', exact: true }).click();
    await popup.getByRole('status').filter({ hasText: 'Passkey "Laptop" added' }).waitFor();
    const { credentials } = await auth.cdp.send('WebAuthn.getCredentials', { authenticatorId: auth.id });
    assert.equal(credentials.length, 1);
    // Keyhold asks with rpId = its id; Chromium scopes an extension's credentials to its origin.
    assert.equal(credentials[0]!.rpId, `chrome-extension://${ext.extensionId}`, 'the relying party is the extension itself');
    const status = await rpc<{ passkeys: { id: string; name: string }[] }>(popup, 'vault_status', {});
    assert.deepEqual(status.passkeys.map((p) => p.name), ['Laptop']);

    await popup.getByRole('button', { name: 'Lock', exact: true }).first().click();
    await popup.getByRole('button', { name: 'Unlock with a passkey', exact: true }).click();
    await popup.getByRole('button', { name: 'Lock', exact: true }).first().waitFor();
    assert.equal((await rpc<{ unlocked: boolean }>(popup, 'vault_status', {})).unlocked, true);

    // The unlocked keys are the vault's: a page connects and has a message signed.
    const dapp = await openDapp(ext.context, server.urlA);
    const connecting = call<string[]>(dapp, 'eth_requestAccounts');
    await (await nextApprovalPage(ext.context)).getByRole('button', { name: 'Approve', exact: true }).click();
    assert.deepEqual(ok(await connecting), [addr(0).toLowerCase()]);
    await noApprovalWindow(ext.context);
    const signing = call<string>(dapp, 'personal_sign', ['0x68656c6c6f', addr(0).toLowerCase()]);
    await (await nextApprovalPage(ext.context)).getByRole('button', { name: 'Approve', exact: true }).click();
    const signature = ok(await signing) as `0x${string}`;
    assert.equal(await recoverMessageAddress({ message: 'hello', signature }), addr(0));
    await dapp.close();
  });

  test('a changed password keeps the passkey working; the new password unlocks too, the old one not', async () => {
    await rpc(popup, 'vault_changePassword', { oldPassword: PASSWORD, newPassword: 'a new password 2' });
    await popup.getByRole('button', { name: 'Lock', exact: true }).first().click();
    await popup.getByRole('button', { name: 'Unlock with a passkey', exact: true }).click();
    await popup.getByRole('button', { name: 'Lock', exact: true }).first().click();
    await popup.getByLabel('Password', { exact: true }).first().fill(PASSWORD);
    await popup.getByRole('button', { name: 'Unlock', exact: true }).first().click();
    await popup.getByRole('alert').filter({ hasText: 'Wrong password' }).first().waitFor();
    await popup.getByLabel('Password', { exact: true }).first().fill('a new password 2');
    await popup.getByRole('button', { name: 'Unlock', exact: true }).first().click();
    await popup.getByRole('button', { name: 'Lock', exact: true }).first().waitFor();
    await rpc(popup, 'vault_changePassword', { oldPassword: 'a new password 2', newPassword: PASSWORD });
  });

  test('"Remove passkey Laptop": the passkey no longer unlocks and its button is gone; the password still unlocks', async () => {
    const status = await rpc<{ passkeys: { id: string }[] }>(popup, 'vault_status', {});
    const removedId = status.passkeys[0]!.id;
    await popup.getByRole('button', { name: 'Remove passkey Laptop', exact: true }).click();
    await popup.getByRole('status').filter({ hasText: 'removed' }).waitFor();
    await popup.getByRole('button', { name: 'Lock', exact: true }).first().click();
    await popup.getByRole('button', { name: 'Unlock', exact: true }).first().waitFor();
    assert.equal(await popup.getByRole('button', { name: 'Unlock with a passkey' }).count(), 0);
    // The authenticator still holds the credential; the vault no longer takes its PRF output.
    // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
    const outcome = (await popup.evaluate(`(async () => {
      const id = ${JSON.stringify(removedId)};
      const raw = Uint8Array.from(atob(id.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (id.length % 4)) % 4)), (c) => c.charCodeAt(0));
      const cred = await navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), rpId: location.hostname, allowCredentials: [{ type: 'public-key', id: raw }], extensions: { prf: { eval: { first: new Uint8Array(32) } } } } });
      const first = new Uint8Array(cred.getClientExtensionResults().prf.results.first);
      const prfOutput = btoa(String.fromCharCode(...first)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
      return chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method: 'vault_unlockWithPasskey', params: { credentialId: id, prfOutput } });
    })()`)) as RpcAnswer;
    assert.ok(!outcome.ok && outcome.error.code === 4100, JSON.stringify(outcome));
    await popup.getByLabel('Password', { exact: true }).first().fill(PASSWORD);
    await popup.getByRole('button', { name: 'Unlock', exact: true }).first().click();
    await popup.getByRole('button', { name: 'Lock', exact: true }).first().waitFor();
  });

  test('an authenticator without PRF: enrolling says so plainly and nothing is enrolled', async () => {
    await auth.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: auth.id });
    const noPrf = await virtualAuthenticator(ext.context, popup, false);
    await popup.getByLabel('Passkey name', { exact: true }).fill('Old key');
    await popup.getByLabel('Password to add a passkey', { exact: true }).fill(PASSWORD);
    await popup.getByRole('button', { name: 'Add a passkey', exact: true }).click();
    await popup.getByRole('status').filter({ hasText: 'PRF' }).waitFor();
    assert.equal((await rpc<{ passkeys: unknown[] }>(popup, 'vault_status', {})).passkeys.length, 0);
    await noPrf.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: noPrf.id });
  });
});

describe('several accounts: derive, name, pick per site, accountsChanged, activity', () => {
  let server: FixtureServer;
  let ext: Extension;
  let popup: Page;

  before(async () => {
    server = await startServer();
    ext = await launchExtension();
    await importVault(ext.context, ext.extensionId);
    popup = await openPopup(ext.context, ext.extensionId);
  });
  after(async () => {
    await ext?.close();
    await server?.close();
  });

  test("Settings → Add account derives m/44'/60'/0'/0/1 with its name; select it", async () => {
    await popup.getByRole('tab', { name: 'Settings' }).click();
    await popup.getByLabel('New account name (optional)', { exact: true }).fill('Trading');
    await popup.getByRole('button', { name: 'Add account', exact: true }).click();
    await popup.getByRole('status').filter({ hasText: `Added Trading: ${addr(1)}` }).waitFor();
    await popup.getByLabel('Name of account 1', { exact: true }).fill('Main');
    await popup.getByRole('button', { name: 'Save the name of account 1', exact: true }).click();
    await popup.getByRole('status').filter({ hasText: 'Account 1 is now "Main"' }).waitFor();
    await popup.getByRole('radio', { name: 'Trading' }).check();
    await popup.getByRole('radio', { name: 'Trading' }).and(popup.locator(':checked')).waitFor();
    const v = await rpc<{ accounts: string[]; names: string[]; selected: string }>(popup, 'vault_status', {});
    assert.deepEqual(v.accounts, [addr(0), addr(1)]);
    assert.deepEqual(v.names, ['Main', 'Trading']);
    assert.equal(v.selected, addr(1));
  });

  test('connect: the selected account is ticked; the user ticks Main too; the site sees both', async () => {
    const dapp = await openDapp(ext.context, server.urlA);
    await dapp.evaluate(() => {
      const w = window as unknown as { seen: unknown[]; keyhold: { on(e: string, f: (d: unknown) => void): void } };
      w.seen = [];
      w.keyhold.on('accountsChanged', (a) => w.seen.push(a));
    });
    const connecting = call<string[]>(dapp, 'eth_requestAccounts');
    const approval = await nextApprovalPage(ext.context);
    const picker = approval.getByRole('group', { name: 'Accounts this site may see' });
    const main = picker.getByRole('checkbox', { name: new RegExp(`Main ${addr(0)}`) });
    const trading = picker.getByRole('checkbox', { name: new RegExp(`Trading ${addr(1)}`) });
    assert.equal(await trading.isChecked(), true, 'the selected account is ticked by default');
    assert.equal(await main.isChecked(), false);
    // None ticked: Approve does not work.
    await trading.uncheck();
    await approval.getByRole('alert').filter({ hasText: 'Tick at least one account' }).waitFor();
    assert.equal(await approval.getByRole('button', { name: 'Approve', exact: true }).isDisabled(), true);
    await trading.check();
    await main.check();
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    assert.deepEqual(ok(await connecting), [addr(0).toLowerCase(), addr(1).toLowerCase()]);
    await dapp.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.length === 1);
    assert.deepEqual(await dapp.evaluate(() => (window as unknown as { seen: unknown[] }).seen), [[addr(0).toLowerCase(), addr(1).toLowerCase()]]);
  });

  test('Home → Change accounts: the site now sees Trading only, and its page hears accountsChanged', async () => {
    const dapp = (await ext.context.pages()).find((p) => p.url() === server.urlA)!;
    await popup.getByRole('tab', { name: 'Home' }).click();
    await popup.getByRole('button', { name: 'Change accounts' }).click();
    const host = new URL(server.originA).host;
    const picker = popup.getByRole('group', { name: `Accounts ${host} may see` });
    await picker.getByRole('checkbox', { name: /Main/ }).uncheck();
    await popup.getByRole('button', { name: 'Save accounts', exact: true }).click();
    await popup.getByRole('status').filter({ hasText: `${host} now sees Trading` }).waitFor();
    await dapp.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.length === 2);
    assert.deepEqual((await dapp.evaluate(() => (window as unknown as { seen: unknown[] }).seen))[1], [addr(1).toLowerCase()]);
    assert.deepEqual(ok(await call(dapp, 'eth_accounts')), [addr(1).toLowerCase()]);
    // An account the site no longer sees cannot sign.
    const refused = await call(dapp, 'personal_sign', ['0x68656c6c6f', addr(0).toLowerCase()]);
    assert.equal(refused.error?.code, 4100);
  });

  test('a master signature with the second account shows in Activity with its account, never its message', async () => {
    const dapp = (await ext.context.pages()).find((p) => p.url() === server.urlA)!;
    await noApprovalWindow(ext.context);
    const message = 'a private note 4711';
    const signing = call<string>(dapp, 'personal_sign', [message, addr(1).toLowerCase()]);
    await (await nextApprovalPage(ext.context)).getByRole('button', { name: 'Approve', exact: true }).click();
    assert.equal(await recoverMessageAddress({ message, signature: ok(await signing) as `0x${string}` }), addr(1));
    await popup.getByRole('tab', { name: 'Activity' }).click();
    const entry = popup.getByRole('listitem').filter({ hasText: 'Master key signed a message' });
    await entry.first().waitFor();
    assert.ok((await entry.first().textContent())!.includes(addr(1).toLowerCase()));
    // Shown as a person reads it: the account's name and its short checksummed address.
    await entry.first().getByText('Trading', { exact: true }).waitFor();
    await entry.first().getByText(`${addr(1).slice(0, 6)}…${addr(1).slice(-4)}`, { exact: true }).waitFor();
    assert.ok(!(await popup.getByRole('list', { name: 'Activity, newest first' }).textContent())!.includes('4711'));
  });
});
