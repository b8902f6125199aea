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
import type { BrowserContext, Page } from 'playwright-core';
import { startService, type RunningService } from '../service/server.js';
import { buildDemo, buildExtension } from './build.js';
import { launchWithExtension } from './chromium.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const headless = args.includes('--headless') || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
const shots = join(root, 'artifacts/start');

const step = (text: string) => console.log(`• ${text}`);

await buildExtension('chromium', join(root, 'dist'));
await buildDemo(join(root, 'dist-demo'));
step('Built the extension into dist/ and the demo exchange into dist-demo/.');
const service = await startService({ port, publicDir: join(root, 'dist-demo'), logger: headless ? undefined : (line) => console.log(`  service: ${line}`) });
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

async function story(ctx: BrowserContext, exchange: Page, svc: RunningService): Promise<void> {
  await exchange.getByText('Keyhold connected').waitFor();
  step('The exchange found Keyhold through EIP-6963.');
  await exchange.getByRole('button', { name: 'Connect wallet' }).click();
  step(`Connected the demo wallet: ${(await exchange.locator('#wallet').textContent())!.replace('Connected ', '')}.`);

  const approvalOpened = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html') });
  await exchange.getByRole('button', { name: 'Start trading session' }).click();
  const approval = await approvalOpened;
  const approve = approval.getByRole('button', { name: 'Approve', exact: true });
  await approve.waitFor();
  await approval.screenshot({ path: join(shots, '1-approval.png') });
  step('Keyhold asks: the site, "Trading only", 1 hour, request type 1, and the service it logs in to.');
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
  step(`Placed 3 orders: Keyhold signed each and sent it with the device key; the exchange accepted ${await exchange.locator('#orders td.ok').count()}.`);
  await exchange.screenshot({ path: join(shots, '2-exchange.png'), fullPage: true });

  const popup = await ctx.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.getByRole('button', { name: 'Revoke' }).first().waitFor();
  await popup.screenshot({ path: join(shots, '3-popup.png') });
  step('The toolbar popup shows the session, its service and the time it has left.');
  await popup.close();

  await exchange.getByRole('button', { name: `Revoke session ${sessionId}` }).click();
  await exchange.getByText('the exchange confirmed the logout').waitFor();
  const row = svc.state.sessions.get(sessionId);
  step(`Revoked: Keyhold deleted the key, and the exchange says the session is ${row?.revoked ? 'revoked' : 'still live (!)'} and its device key is ${row?.deviceKey ? 'still there (!)' : 'deleted'}.`);
  step(`Screenshots are in ${shots}.`);
}
