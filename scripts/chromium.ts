/**
 * Launches Debian's Chromium with an unpacked extension loaded, for `npm start`, the tests and
 * the benchmark. Headless works as root on a machine with no display.
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const CHROMIUM = process.env.KEYHOLD_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium's flags for a quiet, repeatable run with only these unpacked extensions loaded. */
export const chromiumArgs = (extensionDirs: readonly string[]): string[] => [
  `--disable-extensions-except=${extensionDirs.join(',')}`,
  `--load-extension=${extensionDirs.join(',')}`,
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface LaunchedExtension {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
}

export async function launchWithExtension(
  extensionDir: string,
  opts: {
    headless?: boolean;
    userDataDir?: string;
    /**
     * A fresh profile installs Keyhold, which opens its welcome tab (`onboarding.html`). `close`
     * (the default) waits for that tab and closes it, so tests and the bench start from the same
     * pages as before; `keep` leaves it open (see {@link onboardingPage}).
     */
    onboarding?: 'close' | 'keep';
  } = {},
): Promise<LaunchedExtension> {
  // Only a build with a welcome tab opens one (not the bench's do-nothing extension).
  const fresh = (await isFreshProfile(opts.userDataDir ?? '')) && (await stat(join(extensionDir, 'onboarding.html')).then(() => true, () => false));
  const context = await chromium.launchPersistentContext(opts.userDataDir ?? '', {
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    // Headless: a fixed page size. Headed (`npm start` with a display): each window's own size,
    // so the approval window (400×640) and the popup lay out as the user sees them.
    viewport: (opts.headless ?? true) ? { width: 1100, height: 760 } : null,
    args: chromiumArgs([extensionDir]),
  });
  const isOurs = (w: Worker) => w.url().startsWith('chrome-extension://');
  try {
    const worker = context.serviceWorkers().find(isOurs) ?? (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }));
    const extensionId = new URL(worker.url()).host;
    if (fresh && (opts.onboarding ?? 'close') === 'close') {
      // Let it finish loading first: closing it half-made can leave the extension's next page
      // in that process without its messages (chrome.i18n answering "" for every key).
      const welcome = await onboardingPage(context, extensionId);
      await welcome.waitForLoadState('load');
      await welcome.close();
    }
    return { context, worker, extensionId };
  } catch (err) {
    await context.close();
    throw err;
  }
}

/** A profile Chromium has not written to yet: installing Keyhold in it is a fresh install. */
async function isFreshProfile(dir: string): Promise<boolean> {
  if (dir === '') return true;
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

/**
 * The welcome tab Keyhold opens on a fresh install, once it is there.
 * @throws if it does not open within `timeoutMs`.
 */
export async function onboardingPage(context: BrowserContext, extensionId: string, timeoutMs = 10_000): Promise<Page> {
  const url = `chrome-extension://${extensionId}/onboarding.html`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = context.pages().find((p) => !p.isClosed() && p.url() === url);
    if (page) return page;
    if (Date.now() > deadline) throw new Error(`Keyhold's welcome tab did not open within ${timeoutMs} ms of the install`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
