/**
 * Firefox end-to-end harness: launches Debian's Firefox ESR headless through puppeteer-core over
 * WebDriver BiDi, installs the built `dist-firefox/` as a temporary add-on, and drives pages,
 * the approval window and the extension's own pages. The fixture server and the independent
 * verifier are the Chromium harness's (`../e2e/harness.ts`): they know nothing of the browser.
 * @module
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { ROOT, type RpcOutcome } from '../e2e/harness.js';

/** The built Firefox extension; `KEYHOLD_DIST_FIREFOX` points the tests at another build. */
export const DIST_FIREFOX = process.env.KEYHOLD_DIST_FIREFOX
  ? resolve(process.env.KEYHOLD_DIST_FIREFOX)
  : join(ROOT, 'dist-firefox');
export const FIREFOX = process.env.KEYHOLD_FIREFOX ?? '/usr/bin/firefox-esr';

/** Must match `GECKO_ID` in `scripts/manifest.ts`: the uuid pref is keyed by it. */
export const ADDON_ID = 'keyhold@keyhold.dev';
/**
 * Firefox gives every add-on a random internal UUID for its `moz-extension://` origin. The pref
 * `extensions.webextensions.uuids` lets us fix it beforehand, so the tests know the origin of
 * the extension's pages without asking the browser.
 */
export const EXTENSION_UUID = '6f0a1c52-9d3e-4b7a-8c21-5e4f3a2b1c0d';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

export interface FirefoxExtension {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches headless Firefox ESR and installs `dist-firefox/` as a temporary add-on. `prefs`:
 * more Firefox preferences (e.g. a short `extensions.background.idle.timeout`); `addonId`: the
 * gecko id `extensionDir` declares, when it is not Keyhold (the bench's floor extensions).
 */
export async function launchFirefox(extensionDir = DIST_FIREFOX, prefs: Record<string, unknown> = {}, addonId = ADDON_ID): Promise<FirefoxExtension> {
  try {
    await stat(join(extensionDir, 'manifest.json'));
  } catch {
    throw new Error(`No built extension at ${extensionDir}; run \`npm run build\` first.`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {
      'xpinstall.signatures.required': false,
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: EXTENSION_UUID }),
      ...prefs,
    },
  });
  try {
    const id = await browser.installExtension(extensionDir);
    if (id !== addonId) throw new Error(`Firefox installed the add-on as ${id}, expected ${addonId}`);
    return { browser, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

declare global {
  interface Window {
    keyhold?: { request(args: { method: string; params?: unknown }): Promise<unknown> };
  }
}

/** Opens `url` in a new tab and waits until Keyhold's provider is on `window.keyhold`. */
export async function openDapp(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.keyhold?.request === 'function', { timeout: 10_000 });
  return page;
}

/**
 * Calls `window.keyhold.request` in the page. RPC errors come back as `{error: {code, message}}`;
 * only a failure of the harness itself throws.
 */
export async function call<T = unknown>(page: Page | Frame, method: string, params?: unknown): Promise<RpcOutcome<T>> {
  return page.evaluate(
    async (method, params, hasParams) => {
      try {
        const args = hasParams ? { method, params } : { method };
        return { result: await window.keyhold!.request(args) };
      } catch (e) {
        const err = e as { code?: unknown; message?: unknown };
        return { error: { code: err?.code, message: String(err?.message) } };
      }
    },
    method,
    params ?? null,
    params !== undefined,
  ) as Promise<RpcOutcome<T>>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The page's real URL. Firefox's BiDi does not report the navigation of the popup window the
 * worker opens with `windows.create`, so puppeteer's `page.url()` stays `about:blank` there;
 * the page itself knows better.
 */
async function hrefOf(page: Page): Promise<string> {
  const known = page.url();
  if (/^https?:/.test(known)) return known;
  return Promise.race([
    page.evaluate(() => location.href).catch(() => known),
    sleep(1_000).then(() => known),
  ]);
}

const handled = new WeakSet<Page>();

/**
 * Waits for the next page of ours at `path` (e.g. `approval.html`) not yet handed out by the
 * harness, marks it handled and returns it.
 */
export async function nextExtensionPage(browser: Browser, path: string, timeout = 10_000): Promise<Page> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const page of await browser.pages()) {
      if (handled.has(page) || page.isClosed()) continue;
      if ((await hrefOf(page)).startsWith(`${EXTENSION_ORIGIN}/${path}`)) {
        handled.add(page);
        return page;
      }
    }
    await sleep(50);
  }
  throw new Error(`No ${path} page appeared within ${timeout} ms`);
}

/** Waits for the next approval window (the worker's `windows.create({type: 'popup'})`). */
export const nextApprovalPage = (browser: Browser, timeout?: number): Promise<Page> =>
  nextExtensionPage(browser, 'approval.html', timeout);

/**
 * Whether the page's browsing context is gone. Firefox's BiDi does not announce the end of a
 * popup window that closed itself, so puppeteer's `isClosed()` stays false for seconds; the
 * context refusing a script is the reliable sign.
 */
async function isGone(page: Page): Promise<boolean> {
  if (page.isClosed()) return true;
  return page.evaluate(() => false).catch(() => true);
}

/**
 * Clicks "Approve" or "Reject" in an approval window, then waits for the window to close itself
 * (it does once the queue is empty): opening a tab while it is closing fails in Firefox. The
 * locator waits for the button to be enabled, which covers Approve's arming delay.
 */
export async function decide(page: Page, button: 'Approve' | 'Reject'): Promise<void> {
  await page.locator(`::-p-aria([name="${button}"][role="button"])`).setTimeout(10_000).click();
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && !(await isGone(page))) await sleep(25);
}

/** Waits for the next approval window and clicks "Approve" or "Reject". */
export async function approveNext(browser: Browser, button: 'Approve' | 'Reject'): Promise<Page> {
  const page = await nextApprovalPage(browser);
  await decide(page, button);
  return page;
}

/**
 * Opens one of Keyhold's pages in a new tab, from an extension page that is already open.
 * Firefox's remote agent refuses to navigate to `moz-extension:` URLs itself (only http, https,
 * file and blob are "WebDriver-safe"), so the extension opens its own page, as its toolbar
 * button would.
 */
export async function openExtensionPage(browser: Browser, from: Page, path: string): Promise<Page> {
  await from.evaluate(async (path) => {
    const ext = globalThis as unknown as { browser: { tabs: { create(p: { url: string }): Promise<unknown> } } };
    await ext.browser.tabs.create({ url: path });
  }, path);
  return nextExtensionPage(browser, path);
}
