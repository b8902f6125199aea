/**
 * `npm start`: builds Keyhold and the demo exchange, starts the reference service (which serves
 * the demo), and opens Chromium with Keyhold loaded on it. With `--headless`, or when there is
 * no display, it plays the whole story by itself — connect a wallet, start a trading session,
 * approve it, place signed orders, revoke — printing each step and saving screenshots to
 * `artifacts/start/`.
 * Usage: `npm start [-- --headless] [-- --port N]`.
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startService, type RunningService } from '../service/server.js';
import { buildDemo, buildExtension } from './build.js';
import { launchWithExtension } from './chromium.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noDisplay = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const headless = args.includes('--headless') || noDisplay;
/** The approval window's size (`background/approvals/window.ts`) and the toolbar popup's (`popup/styles.css`). */
const APPROVAL_WINDOW = { width: 400, height: 640 };
const POPUP = { width: 360, height: 560 };
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
const shots = join(root, 'artifacts/start');

const step = (text: string) => console.log(`• ${text}`);

if (!headless) step('A display was found: Chromium opens in a window for you to try Keyhold yourself.');
else if (noDisplay) step('No display found ($DISPLAY and $WAYLAND_DISPLAY are unset): playing the demo story by itself in headless Chromium, with screenshots.');
else step('--headless: playing the demo story by itself in headless Chromium, with screenshots.');

await buildExtension('chromium', join(root, 'dist'));
await buildDemo(join(root, 'dist-demo'));
step('Built the extension into dist/ and the demo exchange into dist-demo/.');
const service = await startService({ port, publicDir: join(root, 'dist-demo'), ...(!headless && { logger: (line: string) => console.log(`  service: ${line}`) }) });
step(`The reference service and its demo exchange are at ${service.url}/`);
const { context, extensionId } = await launchWithExtension(join(root, 'dist'), { headless });
step(`Chromium started with Keyhold (extension id ${extensionId}).`);
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(`${service.url}/`);

if (!headless) {
  step('Connect the wallet, start a trading session and approve it in the Keyhold window, then place orders. Close the browser to stop.');
  await new Promise((resolve) => context.on('close', resolve));
} else {
  await mkdir(shots, { recursive: true });
  try {
    await story(context, page, service);
  } finally {
    await context.close();
  }
}
await service.close();

/** A screenshot must show what its log line says: `what` inside the viewport, else stop. */
async function shownWhole(page: Page, what: Locator, shot: string): Promise<void> {
  const box = await what.boundingBox();
  const view = page.viewportSize()!;
  if (box === null || box.y < 0 || box.x < 0 || box.y + box.height > view.height || box.x + box.width > view.width) {
    throw new Error(`${shot} would not show what its step says: ${JSON.stringify(box)} outside ${view.width}×${view.height}`);
  }
}

async function story(ctx: BrowserContext, exchange: Page, svc: RunningService): Promise<void> {
  await exchange.getByText('Keyhold connected').waitFor();
  step('The exchange found Keyhold through EIP-6963.');
  await exchange.getByRole('button', { name: 'Connect wallet' }).click();
  step(`Connected the demo wallet: ${(await exchange.locator('#wallet').textContent())!.replace('Connected ', '')}.`);

  const approvalOpened = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html') });
  await exchange.getByRole('button', { name: 'Start trading session' }).click();
  const approval = await approvalOpened;
  const approve = approval.getByRole('button', { name: 'Approve', exact: true });
  // The window as the user sees it: its own size, not the browser's default page size.
  await approval.setViewportSize(APPROVAL_WINDOW);
  const ask = (await approval.getByTestId('request-ask').textContent())!;
  const who = (await approval.locator('#request-origin .origin__domain').textContent()) ?? '';
  // Approve arms for half a second; the screenshot shows it armed, as a user would click it.
  await approval.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Approve' && !b.disabled));
  await shownWhole(approval, approval.getByTestId('request-ask'), '1-approval.png');
  await approval.screenshot({ path: join(shots, '1-approval.png'), animations: 'disabled' });
  step(`Keyhold's window leads with the site (${who}) and asks in one sentence: "${ask}" Approving (1-approval.png).`);
  await approve.click();
  await exchange.getByText('Logged in.').waitFor({ timeout: 20_000 });
  const sessionLine = (await exchange.locator('#session .mono').textContent())!;
  const sessionId = sessionLine.split(' ')[1]!;
  step(`The wallet signed the login; Keyhold logged session ${sessionId} in and kept the device key.`);

  for (const [side, qty] of [['buy', 1], ['sell', 2], ['buy', 3]] as const) {
    await exchange.getByLabel('Side').selectOption(side);
    await exchange.getByLabel('Quantity').fill(String(qty));
    await exchange.getByRole('button', { name: 'Place order' }).click();
  }
  await exchange.locator('#orders tr td.ok').nth(2).waitFor();
  await exchange.screenshot({ path: join(shots, '2-exchange.png'), fullPage: true });
  step(`Placed 3 orders: Keyhold signed each and sent it with the device key; the exchange accepted ${await exchange.locator('#orders td.ok').count()} (2-exchange.png).`);

  // The popup at the toolbar popup's size, scrolled to the session (a first-run vault card may
  // come before it), and described from what it shows.
  const popup = await ctx.newPage();
  await popup.setViewportSize(POPUP);
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const card = popup.getByRole('article').filter({ has: popup.getByRole('button', { name: 'Revoke', exact: true }) }).first();
  await card.waitFor();
  await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const label = await card.evaluate((el) => {
    const by = el.getAttribute('aria-labelledby');
    return (by && document.getElementById(by)?.textContent?.trim()) || el.getAttribute('aria-label') || 'the session';
  });
  const cardText = (await card.textContent()) ?? '';
  const left = /(\d+[dhms](?: \d+[dhms])?) left/.exec(cardText)?.[1];
  const host = new URL(svc.url).host;
  await shownWhole(popup, card, '3-popup.png');
  await popup.screenshot({ path: join(shots, '3-popup.png'), animations: 'disabled' });
  step(
    `The toolbar popup shows the session "${label}"${cardText.includes(host) ? ` at the service ${host}` : ''}${left ? `, ${left} left` : ''}, with its Revoke button (3-popup.png).`,
  );
  await popup.close();

  await exchange.getByRole('button', { name: `Revoke session ${sessionId}` }).click();
  await exchange.getByText('the exchange confirmed the logout').waitFor();
  const row = svc.state.sessions.get(sessionId);
  step(`Revoked: Keyhold deleted the key, and the exchange says the session is ${row?.revoked ? 'revoked' : 'still live (!)'} and its device key is ${row?.deviceKey ? 'still there (!)' : 'deleted'}.`);
  step(`Screenshots are in ${shots}: 1-approval.png (the approval window, 400×640), 2-exchange.png (the exchange page), 3-popup.png (the toolbar popup, 360×560).`);
}
