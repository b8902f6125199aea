/**
 * `npm start`: builds Keyhold, serves the example dapp and opens Chromium with Keyhold loaded
 * on it. With `--headless`, or when there is no display, it plays the whole story by itself:
 * create a session, approve it, sign, verify, sign 1,000, revoke; it prints each step and saves
 * screenshots to `artifacts/start/`.
 * Usage: `npm start [-- --headless] [-- --port N]`.
 * @module
 */
import { createPublicKey, verify } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { buildExtension } from './build.js';
import { launchWithExtension } from './chromium.js';
import { serveStatic } from './static-server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const headless = args.includes('--headless') || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
const shots = join(root, 'artifacts/start');

const step = (text: string) => console.log(`• ${text}`);

await buildExtension('chromium', join(root, 'dist'));
step('Built the extension into dist/.');
const { server, port: actualPort } = await serveStatic(join(root, 'examples/dapp'), port);
const url = `http://127.0.0.1:${actualPort}/`;
step(`Serving the example dapp at ${url}`);
const { context, extensionId } = await launchWithExtension(join(root, 'dist'), { headless });
step(`Chromium started with Keyhold (extension id ${extensionId}).`);
const page = await context.pages()[0]!;
await page.goto(url);

if (!headless) {
  step('Click "Create session" on the page and approve it in the Keyhold window. Close the browser to stop.');
  await new Promise((resolve) => context.on('close', resolve));
} else {
  await mkdir(shots, { recursive: true });
  await story(page);
  await context.close();
}
server.close();

async function story(dapp: Page): Promise<void> {
  await dapp.getByText('Found Keyhold').waitFor();
  step('The page found Keyhold through EIP-6963.');
  const approvalOpened = context.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html') });
  await dapp.getByRole('button', { name: 'Create session' }).click();
  const approval = await approvalOpened;
  await approval.getByRole('button', { name: 'Approve', exact: true }).waitFor();
  await approval.screenshot({ path: join(shots, '1-approval.png') });
  step('Keyhold opened its approval window: it shows the site, the role and the lifetime.');
  await approval.getByRole('button', { name: 'Approve', exact: true }).click();
  await dapp.waitForFunction(() => document.getElementById('session')!.textContent!.includes('"publicKey"'));
  const session = JSON.parse((await dapp.locator('#session').textContent())!) as { id: string; publicKey: string };
  step(`Approved: session ${session.id}, public key ${session.publicKey}. The page never saw the private key.`);

  await dapp.getByRole('button', { name: 'Sign request' }).click();
  await dapp.waitForFunction(() => document.getElementById('signed')!.textContent!.includes('signature'));
  const signed = JSON.parse((await dapp.locator('#signed').textContent())!) as { payload: string; public_key: string; signature: string };
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(signed.public_key, 'base64')]), format: 'der', type: 'spki' });
  const ok = verify(null, Buffer.from(signed.payload, 'base64'), key, Buffer.from(signed.signature, 'base64'));
  step(`Signed a request; node:crypto says the Ed25519 signature is ${ok ? 'valid' : 'INVALID'}.`);
  await dapp.screenshot({ path: join(shots, '2-signed.png'), fullPage: true });

  await dapp.getByRole('button', { name: 'Sign 1,000' }).click();
  await dapp.getByText('Signed 1,000 requests').waitFor({ timeout: 30_000 });
  step((await dapp.getByText('Signed 1,000 requests').textContent())!.replace(/^.*?Signed/, 'Signed'));

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.getByRole('button', { name: 'Revoke' }).first().waitFor();
  await popup.screenshot({ path: join(shots, '3-popup.png') });
  step('The toolbar popup lists the session with its site, role and time left.');
  await popup.close();

  await dapp.getByRole('button', { name: 'Revoke session' }).click();
  await dapp.getByText('revoked; its key is deleted').waitFor();
  step('Revoked the session: Keyhold deleted its key.');
  const after = await dapp.evaluate(async (id) => {
    try {
      await (window as unknown as { keyhold: { request(a: unknown): Promise<unknown> } }).keyhold.request({ method: 'keyhold_signRequest', params: [{ sessionId: id, requestType: 1, body: '' }] });
      return 'signed';
    } catch (err) {
      return `${(err as { code: number }).code} ${(err as Error).message}`;
    }
  }, session.id);
  step(`Signing with the revoked session now answers: ${after}`);
  step(`Screenshots are in ${shots}.`);
}
