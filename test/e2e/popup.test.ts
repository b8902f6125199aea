/**
 * The toolbar popup and the approval window end to end, in real Chromium with the built
 * extension and the real reference service (service/): every view with real data from the
 * worker, every revoke path checked where it matters (the key gone from IndexedDB, the page's
 * next signature refused with 4100, the service's own state), the toolbar badge, keyboard use,
 * and screenshots of the main views in light and dark, saved to `artifacts/screenshots/` (the
 * best are copied into `docs/img/` and the README by hand).
 * Controls are found by the accessible names the issue fixes ("Revoke", "Revoke all",
 * "Revoke everything", "Unlock", "Lock", "Import", "Password", …). Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { startService, type RunningService } from '../../service/server.js';
import { MasterKey, login, uuidText } from '../service/helpers.js';
import {
  ROOT,
  approveNext,
  call,
  fromBase64,
  launchExtension,
  nextApprovalPage,
  ok,
  openDapp,
  parsePayload,
  startServer,
  serveSites,
  runningWorker,
  stopWorker,
  type Extension,
  type FixtureServer,
  type SessionInfo,
  noApprovalWindow,
  onboardingPage,
} from './harness.js';

/** Hardhat's account #1: a KNOWN key, imported into the vault and used from Node as "another device". */
const MASTER_KEY = '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const MASTER_ADDRESS = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const PASSWORD = 'correct horse battery';
/** An IDN host (exämple.test), served by a route: Chromium never resolves it. */
const IDN_ORIGIN = 'http://xn--exmple-cua.test';
const IMG = join(ROOT, 'artifacts/screenshots');
const POPUP_SIZE = { width: 360, height: 560 };

let service: RunningService;
let server: FixtureServer;
let ext: Extension;
let pageA: Page;
let pageB: Page;

before(async () => {
  await mkdir(IMG, { recursive: true });
  service = await startService({ testHooks: true });
  server = await startServer();
  serveSites(service, server);
  ext = await launchExtension({ onboarding: 'keep' });
  await ext.context.route(`${IDN_ORIGIN}/**`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>IDN dapp</title><h1>IDN dapp</h1>' }),
  );
});
after(async () => {
  await ext?.close();
  await server?.close();
  await service?.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers

async function openPopup(): Promise<Page> {
  const page = await ext.context.newPage();
  await page.setViewportSize(POPUP_SIZE);
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  return page;
}

/** Saves a screenshot of `page` to artifacts/screenshots/, light then dark (`<name>-dark.png`). */
async function shoot(page: Page, name: string): Promise<void> {
  // `animations: 'disabled'` ends the buttons' colour transitions, which a scheme switch starts.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(IMG, `${name}.png`), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(IMG, `${name}-dark.png`), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Keyhold's running worker; after a stop, the new one (started by any event). */
const worker = (): Promise<Worker> => runningWorker(ext.context, ext.extensionId);

/** The toolbar badge, read in the worker. */
async function badge(): Promise<string> {
  return (await worker()).evaluate('chrome.action.getBadgeText({})') as Promise<string>;
}

async function waitForBadge(want: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen = await badge();
  while (seen !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    seen = await badge();
  }
  assert.equal(seen, want, 'badge text');
}

/** The ids of the session records in IndexedDB `keyhold`, store `sessions` (where the keys live). */
async function storedSessionIds(): Promise<string[]> {
  return (await worker()).evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('keyhold');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction('sessions').objectStore('sessions').getAllKeys();
      req.onsuccess = () => { db.close(); resolve(req.result); };
      req.onerror = () => reject(req.error);
    };
  })`) as Promise<string[]>;
}

const sign = (page: Page, sessionId: string, requestType = 1, body = '') =>
  call<{ payload: string; public_key: string; signature: string }>(page, 'keyhold_signRequest', [{ sessionId, requestType, body }]);

/** After a revoke: the key is gone from IndexedDB and the page's next signature gets 4100. */
async function assertRevoked(page: Page, ...ids: string[]): Promise<void> {
  const stored = await storedSessionIds();
  for (const id of ids) {
    assert.ok(!stored.includes(id), `session ${id} is still in IndexedDB`);
    assert.equal((await sign(page, id)).error?.code, 4100, `signing with ${id} after revoke`);
  }
}


async function createSession(page: Page, params: Record<string, unknown>, opts: { acknowledge?: boolean } = {}): Promise<SessionInfo & { status?: string }> {
  await noApprovalWindow(ext.context);
  const pending = call<SessionInfo>(page, 'keyhold_createSession', [params]);
  await approveNext(ext.context, 'Approve', opts);
  return ok(await pending, 'keyhold_createSession');
}

/** The site's section on Home, named by its origin. */
const site = (popup: Page, origin: string) => popup.getByRole('region', { name: origin, exact: true });
const sessionCard = (popup: Page, label: string) => popup.getByRole('article', { name: label, exact: true });

/** "Another device": logs a fresh session key in at the service with the same master, from Node (a bound login for the service's own site). */
async function loginFromNode(): Promise<string> {
  const at = { url: service.url, now: Date.now() } as Parameters<typeof login>[0];
  const { id } = await login(at, new MasterKey(Buffer.from(MASTER_KEY, 'hex')), { subaccount: 2 });
  return uuidText(id);
}

// ---------------------------------------------------------------------------------------------

describe('the popup and the approval window', () => {
  const ids: Record<string, string> = {};

  test('first run: the install opened the welcome tab; the popup leads with sessions and a banner that opens it; create, import or continue without a vault there; Import a known private key', async () => {
    // The install opened Keyhold's welcome tab, which explains sessions and the optional vault.
    const welcome = await onboardingPage(ext.context, ext.extensionId);
    await welcome.getByRole('heading', { name: 'Welcome to Keyhold', exact: true }).waitFor();
    for (const topic of ['Sessions', 'Service sessions', 'The vault (optional)']) {
      await welcome.getByRole('region', { name: topic, exact: true }).waitFor();
    }
    await welcome.close();

    // The popup: sessions first, then a banner (no setup form filling the popup).
    const popup = await openPopup();
    await popup.getByText('No sessions yet.', { exact: false }).waitFor();
    const banner = popup.getByRole('region', { name: 'Set up a master key (optional)', exact: true });
    await banner.waitFor();
    assert.equal(await popup.getByRole('button', { name: 'Create vault', exact: true }).count(), 0, 'the setup form is not in the popup');
    assert.equal(
      await popup.evaluate(() => {
        const title = document.querySelector('h1');
        const b = document.querySelector('.banner');
        return title !== null && b !== null && (title.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      }),
      true,
      'the banner comes after the sessions',
    );
    await shoot(popup, 'popup-first-run');
    await banner.getByRole('button', { name: 'Set up a master key', exact: true }).click();
    await (await onboardingPage(ext.context, ext.extensionId)).close();
    // "Not now" hides the banner for good; Settings still sets a vault up, in the same tab.
    await banner.getByRole('button', { name: 'Not now', exact: true }).click();
    await banner.waitFor({ state: 'detached' });
    await popup.reload();
    await popup.getByText('No sessions yet.', { exact: false }).waitFor();
    assert.equal(await banner.count(), 0, 'the banner stays hidden after "Not now"');
    await popup.getByRole('tab', { name: 'Settings' }).click();
    await popup.getByRole('button', { name: 'Set up a vault', exact: true }).click();
    await popup.getByRole('tab', { name: 'Home' }).click();
    const setup = await onboardingPage(ext.context, ext.extensionId);
    await setup.setViewportSize({ width: 800, height: 1100 });
    await setup.getByRole('heading', { name: 'Set up your vault' }).waitFor();
    assert.equal(await setup.getByRole('button', { name: 'Create vault', exact: true }).count(), 1);
    assert.equal(await setup.getByRole('button', { name: 'Continue without a vault', exact: true }).count(), 1);
    await shoot(setup, 'onboarding');
    await setup.getByRole('radio', { name: 'Existing key' }).check();
    await setup.getByLabel('Key type').selectOption('privateKey');
    const secret = setup.getByLabel('Private key', { exact: true });
    assert.equal(await secret.getAttribute('type'), 'password');
    await secret.fill(MASTER_KEY);
    await setup.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await setup.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
    await setup.getByRole('button', { name: 'Import', exact: true }).click();
    await setup.getByText(MASTER_ADDRESS).waitFor();
    await setup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
    await shoot(setup, 'onboarding-ready');
    await setup.close();
    // The popup hears of the new vault: the account shows (checksummed, short).
    await popup.getByText(`${MASTER_ADDRESS.slice(0, 6)}…${MASTER_ADDRESS.slice(-4)}`, { exact: true }).waitFor();
    await popup.close();
  });

  test('Home: sessions of two sites with role, account, request types, service, live countdown and status', async () => {
    pageA = await openDapp(ext.context, server.urlA);
    pageB = await openDapp(ext.context, server.urlB);

    // The approval window for the first session, saved as a screenshot before it is approved.
    await noApprovalWindow(ext.context);
    const pending = call<SessionInfo>(pageA, 'keyhold_createSession', [{ ttlSeconds: 7200, role: 'TRADING_ONLY', requestTypes: [1, 2], label: 'Trading' }]);
    const approval = await nextApprovalPage(ext.context);
    await approval.setViewportSize({ width: 400, height: 640 });
    await approval.getByRole('heading', { name: 'Session key request' }).waitFor();
    await approval.getByText('1, 2', { exact: true }).waitFor();
    await approval.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Approve' && !b.disabled));
    await shoot(approval, 'approval-session');
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    ids.trading = ok(await pending).id;

    ids.withdrawals = (await createSession(pageA, { ttlSeconds: 900, role: 'FULL_ACCESS', subaccountIndex: 3, label: 'Withdrawals' })).id;
    ids.keyboard = (await createSession(pageA, { ttlSeconds: 600, requestTypes: [7], label: 'Keyboard' })).id;
    // localhost asks for a session at a 127.0.0.1 service: another party, so the second confirmation is given.
    const exchange = await createSession(pageB, { ttlSeconds: 3600, label: 'Exchange', service: { baseUrl: service.url } }, { acknowledge: true });
    assert.equal(exchange.status, 'active', 'the unlocked vault logged it in');
    ids.exchange = exchange.id;
    // Connect site A (eth_requestAccounts → approval).
    await noApprovalWindow(ext.context);
    const connecting = call<string[]>(pageA, 'eth_requestAccounts');
    await approveNext(ext.context, 'Approve');
    assert.deepEqual(ok(await connecting), [MASTER_ADDRESS.toLowerCase()]);

    const popup = await openPopup();
    const a = site(popup, server.originA);
    const b = site(popup, server.originB);
    await sessionCard(popup, 'Exchange').waitFor();
    assert.equal(await a.getByRole('article').count(), 3);
    assert.equal(await b.getByRole('article').count(), 1);
    await a.getByText('Connected', { exact: true }).waitFor();

    const trading = sessionCard(popup, 'Trading');
    // In words first; the role, account and type numbers are developer details, one click away.
    await trading.getByText('Can sign 2 kinds of request', { exact: true }).waitFor();
    await trading.getByText('Active', { exact: true }).waitFor();
    assert.equal(await trading.getByText('Trading only').isVisible(), false, 'details are behind the disclosure');
    await trading.locator('summary', { hasText: 'Details' }).click();
    await trading.getByText('Trading only').waitFor();
    await trading.getByText('Main account').waitFor();
    await trading.getByText('1, 2', { exact: true }).waitFor();
    const withdrawals = sessionCard(popup, 'Withdrawals');
    await withdrawals.getByText('Can sign any request', { exact: true }).waitFor();
    await withdrawals.getByText('Full access').waitFor();
    await withdrawals.locator('summary', { hasText: 'Details' }).click();
    await withdrawals.getByText('Subaccount 3').waitFor();
    await withdrawals.getByText('Any request type').waitFor();
    const ex = sessionCard(popup, 'Exchange');
    await ex.getByText(new URL(service.url).host).waitFor();
    // A live countdown: it moves while the popup is open.
    const countdown = withdrawals.locator('time.countdown');
    const first = await countdown.textContent();
    assert.match(first!, /^1[45]m \d\ds left$/);
    await popup.waitForTimeout(1_100);
    assert.notEqual(await countdown.textContent(), first);

    // The master's own list at the service, beside the local sessions, on the user's click
    // only (each list is signed by the master): this browser's is marked.
    const svc = popup.getByRole('region', { name: `Your account at ${service.url}`, exact: true });
    await svc.getByRole('button', { name: `Show sessions at ${new URL(service.url).host}`, exact: true }).click();
    await svc.getByRole('article', { name: 'This browser', exact: true }).waitFor();
    await popup.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
    await shoot(popup, 'popup-home');
    await popup.close();
  });

  test('approval window: one queue, one at a time, a count of what waits and on the badge; an xn-- host is shown as punycode with a warning', async () => {
    await noApprovalWindow(ext.context);
    await waitForBadge('');
    const idn = await openDapp(ext.context, `${IDN_ORIGIN}/`);
    // In a known order: the queue is oldest first.
    const asks = [
      call(idn, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'IDN one' }]),
      call(idn, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'IDN two' }]),
    ];
    await waitForBadge('2');
    asks.push(call(pageA, 'personal_sign', ['0x48656c6c6f', MASTER_ADDRESS]));
    await waitForBadge('3');
    const approval = await nextApprovalPage(ext.context);
    await approval.setViewportSize({ width: 400, height: 640 });
    await approval.getByText('2 more waiting').waitFor();
    const origin = approval.locator('#request-origin');
    await origin.getByText('xn--exmple-cua.test', { exact: true }).first().waitFor();
    assert.ok(!(await origin.textContent())!.includes('exämple'), 'the host is shown in its punycode form');
    await approval.getByText('This address uses international characters; check it carefully.').waitFor();
    await approval.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Approve' && !b.disabled));
    await shoot(approval, 'approval-idn');
    // Keyboard: Escape rejects the request at the head.
    await approval.keyboard.press('Escape');
    await approval.getByText('1 more waiting').waitFor();
    await waitForBadge('2');
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    await approval.getByRole('heading', { name: 'Signature request' }).waitFor();
    await approval.getByText('Hello', { exact: true }).waitFor();
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    for (const outcome of await Promise.all(asks)) assert.equal(outcome.error?.code, 4001);
    await waitForBadge('');
    await idn.close();
  });

  test('Activity: what was signed, by which origin, when, with request type and request id, newest first; never a key or a body', async () => {
    const secretBody = Buffer.from('{"note":"BODY-SECRET-9f2c"}').toString('base64');
    const requestIds: string[] = [];
    for (const [id, type] of [[ids.trading!, 1], [ids.trading!, 2], [ids.keyboard!, 7]] as const) {
      const env = ok(await sign(pageA, id, type, secretBody), 'sign');
      requestIds.push(parsePayload(fromBase64(env.payload)).requestIdUuid);
    }
    const popup = await openPopup();
    await popup.getByRole('tab', { name: 'Activity' }).click();
    const items = popup.getByRole('list', { name: 'Activity, newest first' }).getByRole('listitem');
    await items.first().waitFor();
    // Opening the popup lists the master's sessions at the service (Home), which the master
    // signs: that is logged too ("Master key signed a session list request"), so pick the
    // session signatures out.
    const texts = (await items.allTextContents()).filter((t) => !t.includes('Master key signed'));
    // Newest first: the three signatures, last one on top.
    for (let i = 0; i < 3; i++) {
      assert.ok(texts[i]!.includes(requestIds[2 - i]!), `entry ${i} is request ${requestIds[2 - i]}: ${texts[i]}`);
      assert.ok(texts[i]!.includes('Signed a request'));
      assert.ok(texts[i]!.includes(server.originA.replace('http://', '')));
    }
    assert.ok(texts[0]!.includes('type 7') && texts[1]!.includes('type 2') && texts[2]!.includes('type 1'));
    // The request id is behind the entry's disclosure, not in the list a person reads.
    const newest = items.filter({ hasText: requestIds[2]! });
    assert.equal(await newest.getByText(requestIds[2]!, { exact: true }).isVisible(), false);
    await newest.locator('summary', { hasText: 'Details' }).click();
    await newest.getByText(requestIds[2]!, { exact: true }).waitFor();
    assert.ok(texts.some((t) => t.includes('Session created')));
    const all = await popup.locator('main').textContent();
    assert.ok(!all!.includes('BODY-SECRET') && !all!.includes(secretBody), 'a request body reached the activity view');
    const sessions = ok(await call<SessionInfo[]>(pageA, 'keyhold_listSessions'));
    for (const s of sessions) assert.ok(!all!.includes(s.publicKey), 'a key reached the activity view');
    await shoot(popup, 'popup-activity');
    await popup.close();
  });

  test('Settings: auto-lock and chain id are saved; Lock, then Unlock', async () => {
    const popup = await openPopup();
    await popup.getByRole('tab', { name: 'Settings' }).click();
    const minutes = popup.getByLabel('Auto-lock after (minutes)');
    assert.equal(await minutes.inputValue(), '15');
    await minutes.fill('30');
    // The chain by its name.
    const chain = popup.getByLabel('Chain', { exact: true });
    assert.equal(await chain.inputValue(), '0x1');
    await chain.selectOption({ label: 'Polygon (137)' });
    await popup.getByRole('button', { name: 'Save settings' }).click();
    await popup.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.equal(ok(await call<string>(pageA, 'eth_chainId')), '0x89');
    await popup.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
    await shoot(popup, 'popup-settings');
    await popup.reload();
    await popup.getByRole('tab', { name: 'Settings' }).click();
    assert.equal(await popup.getByLabel('Auto-lock after (minutes)').inputValue(), '30');
    assert.equal(await popup.getByLabel('Chain', { exact: true }).inputValue(), '0x89');
    // A custom chain id, in decimal as chain lists print it.
    await popup.getByLabel('Chain', { exact: true }).selectOption({ label: 'Custom chain ID…' });
    await popup.getByLabel('Custom chain ID', { exact: true }).fill('31337');
    await popup.getByRole('button', { name: 'Save settings' }).click();
    await popup.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.equal(ok(await call<string>(pageA, 'eth_chainId')), '0x7a69');
    await popup.getByLabel('Chain', { exact: true }).selectOption({ label: 'Ethereum (1)' });
    await popup.getByRole('button', { name: 'Save settings' }).click();
    await popup.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.equal(ok(await call<string>(pageA, 'eth_chainId')), '0x1');

    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await popup.getByRole('button', { name: 'Unlock', exact: true }).click();
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
    await popup.close();
  });

  test('revoke one session, by keyboard only (Tab, Enter, Escape): its key leaves IndexedDB and the page gets 4100', async () => {
    const popup = await openPopup();
    const card = sessionCard(popup, 'Keyboard');
    const revoke = card.getByRole('button', { name: 'Revoke', exact: true });
    await revoke.waitFor();
    const focused = (l: typeof revoke) => l.evaluate((el) => el === document.activeElement);
    for (let i = 0; i < 40 && !(await focused(revoke)); i++) await popup.keyboard.press('Tab');
    assert.equal(await focused(revoke), true, 'Revoke is reachable by Tab');
    await popup.keyboard.press('Enter');
    const cancel = card.getByRole('button', { name: 'Cancel', exact: true });
    await cancel.waitFor();
    assert.equal(await focused(cancel), true, 'the question opens on Cancel');
    await card.getByText('Revoke this session?').waitFor();
    await popup.keyboard.press('Escape');
    await revoke.waitFor();
    assert.equal(await focused(revoke), true, 'Escape returns to Revoke');
    assert.ok((await storedSessionIds()).includes(ids.keyboard!), 'Escape revoked nothing');
    await popup.keyboard.press('Enter');
    await popup.keyboard.press('Tab');
    assert.equal(await focused(card.getByRole('button', { name: 'Revoke session', exact: true })), true);
    await popup.keyboard.press('Enter');
    await card.waitFor({ state: 'detached' });
    await popup.getByRole('status').filter({ hasText: 'Session revoked.' }).waitFor();
    await assertRevoked(pageA, ids.keyboard!);
    await popup.close();
  });

  test('"Revoke all" revokes every session of one site, and no other', async () => {
    const popup = await openPopup();
    const a = site(popup, server.originA);
    await a.getByRole('button', { name: 'Revoke all', exact: true }).click();
    await a.getByText('Revoke all 2 sessions of this site?').waitFor();
    await a.getByRole('button', { name: 'Revoke 2 sessions', exact: true }).click();
    await popup.getByRole('status').filter({ hasText: '2 sessions revoked' }).waitFor();
    assert.equal(await a.getByRole('article').count(), 0);
    await assertRevoked(pageA, ids.trading!, ids.withdrawals!);
    assert.ok((await storedSessionIds()).includes(ids.exchange!), "the other site's session is untouched");
    await popup.close();
  });

  test("the master's service list marks held sessions; one held by another device is revoked at the service", async () => {
    const elsewhere = await loginFromNode();
    const popup = await openPopup();
    const svc = popup.getByRole('region', { name: `Your account at ${service.url}`, exact: true });
    await svc.getByRole('button', { name: `Show sessions at ${new URL(service.url).host}`, exact: true }).click();
    const other = svc.getByRole('article', { name: 'Another device', exact: true });
    await other.waitFor();
    await other.getByText('Subaccount 2').waitFor();
    const held = svc.getByRole('article', { name: 'This browser', exact: true });
    await held.waitFor();
    assert.equal(await held.getByRole('button', { name: 'Revoke at service' }).count(), 0);
    await other.scrollIntoViewIfNeeded();
    await shoot(popup, 'popup-services');
    await other.getByRole('button', { name: 'Revoke at service', exact: true }).click();
    await other.getByRole('button', { name: 'Revoke it there', exact: true }).click();
    await other.waitFor({ state: 'detached' });
    assert.equal(service.state.sessions.get(elsewhere)!.revoked, true, 'the service revoked it');
    assert.equal(service.state.sessions.get(ids.exchange!)!.revoked, false, "this browser's session is untouched");
    await popup.close();
  });

  test('a revocation pending at a stopped service shows "Revocation pending" and marks the badge, across a worker stop', async () => {
    service.state.outage = true;
    try {
      const popup = await openPopup();
      const card = sessionCard(popup, 'Exchange');
      await card.getByRole('button', { name: 'Revoke', exact: true }).click();
      await card.getByText(`logs it out at ${new URL(service.url).host}`).waitFor();
      await card.getByRole('button', { name: 'Revoke session', exact: true }).click();
      const b = site(popup, server.originB);
      await b.getByRole('heading', { name: 'Revocation pending' }).waitFor({ timeout: 10_000 });
      await b.getByText('Revocation pending', { exact: true }).last().waitFor();
      await assertRevoked(pageB, ids.exchange!);
      await waitForBadge('!');
      await popup.getByRole('button', { name: `Show sessions at ${new URL(service.url).host}`, exact: true }).click();
      await popup.getByRole('alert').filter({ hasText: `Could not list your sessions at ${new URL(service.url).host}` }).waitFor();
      await shoot(popup, 'popup-pending');
      await popup.close();

      await stopWorker(ext.context, ext.extensionId);
      const again = await openPopup(); // wakes the worker
      await site(again, server.originB).getByRole('heading', { name: 'Revocation pending' }).waitFor();
      await waitForBadge('!');
      await again.close();
    } finally {
      service.state.outage = false;
    }
    assert.equal(service.state.sessions.get(ids.exchange!)!.revoked, false, 'not delivered during the outage');
    // The worker delivers what it owes when the service answers again (at its next start or retry).
    await stopWorker(ext.context, ext.extensionId);
    ok(await call(pageB, 'keyhold_listSessions'));
    const deadline = Date.now() + 15_000;
    while (!service.state.sessions.get(ids.exchange!)!.revoked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(service.state.sessions.get(ids.exchange!)!.revoked, true, 'delivered once the service is back');
    await waitForBadge('');
  });

  test('"Revoke everything" revokes every session of every site', async () => {
    const one = await createSession(pageA, { ttlSeconds: 600, label: 'Panic A' });
    const two = await createSession(pageB, { ttlSeconds: 600, label: 'Panic B' });
    const popup = await openPopup();
    await sessionCard(popup, 'Panic B').waitFor();
    await popup.getByRole('button', { name: 'Revoke everything', exact: true }).click();
    await popup.getByText('Revoke every session of every site?').waitFor();
    await popup.getByRole('button', { name: 'Revoke everything now', exact: true }).click();
    await popup.getByRole('status').filter({ hasText: '2 sessions revoked everywhere' }).waitFor();
    assert.deepEqual(await storedSessionIds(), []);
    await assertRevoked(pageA, one.id);
    await assertRevoked(pageB, two.id);
    await popup.close();
  });

  test('Disconnect: the site no longer sees the accounts (eth_accounts is [])', async () => {
    assert.deepEqual(ok(await call(pageA, 'eth_accounts')), [MASTER_ADDRESS.toLowerCase()]);
    const popup = await openPopup();
    const a = site(popup, server.originA);
    await a.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await a.getByText('will no longer see your accounts').waitFor();
    await a.getByRole('button', { name: 'Disconnect site', exact: true }).click();
    await a.waitFor({ state: 'detached' });
    assert.deepEqual(ok(await call(pageA, 'eth_accounts')), []);
    await popup.getByText('No sessions yet.', { exact: false }).waitFor();
    await popup.close();
  });
});
