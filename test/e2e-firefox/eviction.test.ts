/**
 * Storage the browser never evicts, in real Firefox ESR: Firefox grants an add-on with
 * `unlimitedStorage` persistent storage when it asks (`navigator.storage.persist()`, no prompt),
 * after which its background reports `persisted()` true and the persistent quota, above the
 * best-effort share a web page gets; the check at start reports "persistent". The same build
 * with the permission taken out stays best-effort: the check reports "evictable" and the popup
 * warns, so the first test's assertions hold because of the permission.
 * Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { ActivityView, StorageStatusView } from '../../src/protocol/extension-rpc.js';
import { startServer, type FixtureServer } from '../e2e/harness.js';
import { DIST_FIREFOX, call, decide, launchFirefox, nextApprovalPage, openDapp, openExtensionPage, type FirefoxExtension } from './harness.js';

interface Reported {
  quota: number;
  usage: number;
  persisted: boolean;
}

const headroom = (e: Reported): number => e.quota - e.usage;

/** What a web page (a best-effort origin) is granted. */
const pageStorage = (page: Page): Promise<Reported> =>
  page.evaluate(async () => {
    const { quota, usage } = await navigator.storage.estimate();
    return { quota: quota!, usage: usage!, persisted: await navigator.storage.persisted() };
  });

/** What Keyhold's background page is granted, read in the background page itself. */
const backgroundStorage = (extensionPage: Page): Promise<Reported> =>
  extensionPage.evaluate(async () => {
    const ext = globalThis as unknown as { browser: { runtime: { getBackgroundPage(): Promise<Window> } } };
    const bg = await ext.browser.runtime.getBackgroundPage();
    const { quota, usage } = await bg.navigator.storage.estimate();
    return { quota: quota!, usage: usage!, persisted: await bg.navigator.storage.persisted() };
  });

/** The extension-page RPC the popup itself uses, called from one of Keyhold's pages. */
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

/**
 * Opens the popup. Firefox's remote agent cannot navigate to moz-extension: URLs, so a session
 * request (rejected here) brings up the approval window, which opens the popup.
 */
async function openPopup(browser: Browser, dapp: Page): Promise<Page> {
  const opener = call(dapp, 'keyhold_createSession', [{ ttlSeconds: 60, label: 'opens the popup' }]);
  const approval = await nextApprovalPage(browser);
  const popup = await openExtensionPage(browser, approval, 'popup.html');
  await decide(approval, 'Reject');
  assert.equal((await opener).error?.code, 4001, 'the opener was rejected');
  return popup;
}

const WARNING = "Your browser may delete Keyhold's data";

let server: FixtureServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

describe('Firefox: the built add-on (unlimitedStorage)', () => {
  let ff: FirefoxExtension;
  let dapp: Page;
  let popup: Page;
  before(async () => {
    ff = await launchFirefox();
    dapp = await openDapp(ff.browser, server.urlA);
    popup = await openPopup(ff.browser, dapp);
  });
  after(async () => {
    await ff?.close();
  });

  test('the check at start reports "persistent": Firefox granted persistent storage', async () => {
    const manifest = JSON.parse(await readFile(join(DIST_FIREFOX, 'manifest.json'), 'utf8'));
    assert.ok(manifest.permissions.includes('unlimitedStorage'), 'the manifest asks for unlimitedStorage');
    const status = await extensionRpc<StorageStatusView>(popup, 'storage_status');
    assert.deepEqual([status.state, status.basis, status.persisted, status.unlimitedStorage], ['persistent', 'persisted', true, true], JSON.stringify(status));
    const log = await extensionRpc<ActivityView[]>(popup, 'activity_list');
    assert.deepEqual(log.filter((e) => e.kind === 'storage-evictable'), [], 'nothing logged');
  });

  test("the background reports persisted() and a quota above a web page's best-effort share", async () => {
    await extensionRpc(popup, 'storage_status');
    const keyhold = await backgroundStorage(popup);
    const web = await pageStorage(dapp);
    assert.equal(keyhold.persisted, true, 'navigator.storage.persisted() in the background');
    assert.equal(web.persisted, false, 'the web page is best-effort');
    assert.ok(headroom(keyhold) > headroom(web), `Keyhold: ${keyhold.usage} used of ${keyhold.quota}; the page: ${web.usage} of ${web.quota}`);
  });
});

describe('Firefox: the same build without unlimitedStorage (what the permission prevents)', () => {
  let ff: FirefoxExtension;
  let dir: string;
  let dapp: Page;
  let popup: Page;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyhold-ff-best-effort-'));
    await cp(DIST_FIREFOX, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    manifest.permissions = manifest.permissions.filter((p: string) => p !== 'unlimitedStorage');
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    ff = await launchFirefox(dir);
    dapp = await openDapp(ff.browser, server.urlA);
    popup = await openPopup(ff.browser, dapp);
  });
  after(async () => {
    await ff?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the check reports "evictable" (persist() not granted), the popup warns, and the activity log records it', async () => {
    const status = await extensionRpc<StorageStatusView>(popup, 'storage_status');
    assert.deepEqual([status.state, status.basis, status.persisted, status.unlimitedStorage], ['evictable', null, false, false], JSON.stringify(status));
    const keyhold = await backgroundStorage(popup);
    const web = await pageStorage(dapp);
    assert.equal(keyhold.persisted, false);
    assert.ok(headroom(keyhold) <= headroom(web), `Keyhold: ${keyhold.usage} used of ${keyhold.quota}; the page: ${web.usage} of ${web.quota}`);

    await popup.evaluate(() => location.reload());
    await popup.locator(`::-p-aria([name="${WARNING}"][role="alert"])`).setTimeout(10_000).wait();
    await popup.locator('::-p-aria([name="Check again"][role="button"])').setTimeout(10_000).wait();
    const log = await extensionRpc<ActivityView[]>(popup, 'activity_list');
    assert.equal(log.filter((e) => e.kind === 'storage-evictable').length, 1);
  });
});
