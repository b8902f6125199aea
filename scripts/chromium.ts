/**
 * Launches Debian's Chromium with an unpacked extension loaded, for `npm start`, the tests and
 * the benchmark. Headless works as root on a machine with no display.
 * @module
 */
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

export const CHROMIUM = process.env.KEYHOLD_CHROMIUM ?? '/usr/bin/chromium';

export interface LaunchedExtension {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
}

export async function launchWithExtension(
  extensionDir: string,
  opts: { headless?: boolean; userDataDir?: string } = {},
): Promise<LaunchedExtension> {
  const context = await chromium.launchPersistentContext(opts.userDataDir ?? '', {
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    // Headless: a fixed page size. Headed (`npm start` with a display): each window's own size,
    // so the approval window (400×640) and the popup lay out as the user sees them.
    viewport: (opts.headless ?? true) ? { width: 1100, height: 760 } : null,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const isOurs = (w: Worker) => w.url().startsWith('chrome-extension://');
  try {
    const worker = context.serviceWorkers().find(isOurs) ?? (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }));
    return { context, worker, extensionId: new URL(worker.url()).host };
  } catch (err) {
    await context.close();
    throw err;
  }
}
