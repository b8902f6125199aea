/**
 * A compromised page, in real Chromium against the real reference service: a script injected
 * into a connected origin tries to exceed every rule of its sessions' policies (rate, rule, cap,
 * confirm type, paused) through `keyhold_send` and `keyhold_signRequest`, across a worker kill
 * and a browser restart. The service counts what it accepts: never more than the policy allows.
 * Every refusal is in the activity log; the approval window states each rule in words and lets
 * the user tighten it; Pause/Resume in the popup; the badge marks a session that paused itself;
 * Activity exports as a real download.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startService, type RunningService } from '../../service/server.js';
import { ACCEPTED_PATH } from '../../service/routes.js';
import { call, launchExtension, nextApprovalPage, noApprovalWindow, ok, openDapp, runningWorker, serveSites, startServer, stopWorker, type Extension, type FixtureServer } from './harness.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const PASSWORD = 'correct horse battery';

let service: RunningService;
let server: FixtureServer;
let ext: Extension;
let profile: string;

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');
type Accepted = Record<string, { orders: number; qty: number; withdrawals: number; amount: number } | undefined>;
const accepted = async (id: string) => ((await (await fetch(`${service.url}${ACCEPTED_PATH}`)).json()) as Accepted)[id] ?? { orders: 0, qty: 0, withdrawals: 0, amount: 0 };

/** Calls the extension-page RPC from one of Keyhold's own pages, as the popup does. */
async function rpc<T>(context: BrowserContext, extensionId: string, method: string, params: unknown = {}): Promise<T> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    const answer = (await page.evaluate(
      ([m, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(x: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method: m, params: p }),
      [method, params] as const,
    )) as { ok: boolean; result?: T; error?: { code: number; message: string } };
    if (!answer.ok) throw new Error(`${method}: ${answer.error?.code} ${answer.error?.message}`);
    return answer.result as T;
  } finally {
    await page.close();
  }
}

/**
 * The injected script: fires `n` calls at once from inside the page, as an XSS payload would,
 * and reports each outcome (code and data.policy of each refusal).
 */
async function attack(page: Page, method: string, params: Record<string, unknown>, n: number): Promise<Array<{ ok: boolean; code?: number | undefined; policy?: string | undefined }>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${method} ×${n} got no answer within 60 s`)), 60_000);
  });
  return Promise.race([bound, attackUnbounded(page, method, params, n)]).finally(() => clearTimeout(timer));
}

async function attackUnbounded(page: Page, method: string, params: Record<string, unknown>, n: number): Promise<Array<{ ok: boolean; code?: number | undefined; policy?: string | undefined }>> {
  return page.evaluate(
    async ({ method, params, n }) =>
      Promise.all(
        Array.from({ length: n }, () =>
          window.keyhold!.request({ method, params: [params] }).then(
            () => ({ ok: true }),
            (e: { code?: number; data?: { policy?: string } }) => ({ ok: false, code: e.code, policy: e.data?.policy }),
          ),
        ),
      ),
    { method, params, n },
  );
}

const order = (sessionId: string, qty: number, side = 'buy') => ({ sessionId, path: '/api/v1/orders', requestType: 1, body: b64({ side, qty, symbol: 'BTC-USD' }) });

async function importVault(context: BrowserContext, extensionId: string): Promise<void> {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/onboarding.html`);
  await popup.getByRole('radio', { name: 'Existing key' }).check();
  await popup.getByLabel('Recovery phrase', { exact: true }).fill(HARDHAT);
  await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await popup.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await popup.getByRole('button', { name: 'Import', exact: true }).click();
  await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor();
  await popup.close();
}

async function unlock(context: BrowserContext, extensionId: string): Promise<void> {
  await rpc(context, extensionId, 'vault_unlock', { password: PASSWORD });
}

/** createSession with a policy: the approval window states each rule; `tighten` edits it before Approve. */
async function policySession(page: Page, params: Record<string, unknown>, tighten?: (w: Page) => Promise<void>): Promise<{ id: string; policy?: Record<string, unknown>; status?: string }> {
  const pending = call<{ id: string; policy?: Record<string, unknown>; status?: string }>(page, 'keyhold_createSession', [params]);
  const w = await nextApprovalPage(ext.context);
  await w.getByRole('list', { name: 'Policy rules' }).waitFor();
  await tighten?.(w);
  await w.getByRole('button', { name: 'Approve', exact: true }).click({ timeout: 15_000 });
  return ok(await pending, 'keyhold_createSession');
}

before(async () => {
  service = await startService({ testHooks: true });
  server = await startServer();
  // The service accepts logins bound to the test sites.
  serveSites(service, server);
  profile = await mkdtemp(join(tmpdir(), 'keyhold-policies-'));
  ext = await launchExtension({ userDataDir: profile });
  await importVault(ext.context, ext.extensionId);
});
after(async () => {
  await ext?.close();
  await server?.close();
  await service?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe('a compromised page cannot sign beyond its session policy', () => {
  const ids: Record<string, string> = {};
  let page: Page;

  test('the approval window states each rule in words, names types from the service descriptor, and lets the user tighten', async () => {
    page = await openDapp(ext.context, server.urlA);
    const policy = {
      maxPerMinute: 5,
      maxPerHour: 50,
      rules: { 1: { type: 'object', properties: { qty: { type: 'number', maximum: 10 } }, required: ['qty'] } },
      caps: [{ requestType: 1, pointer: '/qty', max: 25 }],
    };
    const s = await policySession(page, { ttlSeconds: 3600, role: 'FULL_ACCESS', requestTypes: [1, 2], label: 'Rate', service: { baseUrl: service.url }, policy }, async (w) => {
      const rules = w.getByRole('list', { name: 'Policy rules' });
      for (const words of ['at most 5 signatures a minute', 'PlaceOrder (type 1): qty at most 10', 'PlaceOrder (type 1): at most 25 qty in total', 'Withdraw (type 2): each signature waits for your click']) {
        await rules.getByText(words).first().waitFor();
      }
      await w.screenshot({ path: join(tmpdir(), 'keyhold-policy-approval.png'), fullPage: true });
      await w.getByText('Request types as Keyhold reference exchange describes them.').waitFor();
      await w.getByText('Tighten the limits').click();
      const perMinute = w.getByLabel('Signatures a minute, at most');
      assert.equal(await perMinute.getAttribute('max'), '5', 'cannot be raised past what the site asked');
      await perMinute.fill('4');
      await rules.getByText('at most 4 signatures a minute', { exact: true }).waitFor();
    });
    assert.equal(s.status, 'active');
    assert.deepEqual(s.policy, { ...policy, maxPerMinute: 4, confirmTypes: [2] }, 'SessionInfo returns the policy as granted');
    ids.rate = s.id;
    const listed = ok(await call<Array<{ id: string; policy?: unknown }>>(page, 'keyhold_listSessions'));
    assert.deepEqual(listed.find((x) => x.id === s.id)?.policy, s.policy);
  });

  test('rule and rate: a burst of 30 gets exactly 4 orders accepted; an order over the rule none', async () => {
    const over = await attack(page, 'keyhold_send', order(ids.rate!, 11), 2);
    assert.deepEqual(over, [{ ok: false, code: 4100, policy: 'rules' }, { ok: false, code: 4100, policy: 'rules' }]);
    const burst = await attack(page, 'keyhold_send', order(ids.rate!, 1), 30);
    assert.equal(burst.filter((r) => r.ok).length, 4);
    for (const r of burst.filter((x) => !x.ok)) {
      assert.equal(r.code, 4100);
      assert.ok(r.policy === 'maxPerMinute' || r.policy === 'paused', `refused by ${r.policy}`);
    }
    // keyhold_signRequest goes through the same gate.
    const signed = await attack(page, 'keyhold_signRequest', { sessionId: ids.rate!, requestType: 1, body: b64({ side: 'buy', qty: 1 }) }, 3);
    assert.ok(signed.every((r) => !r.ok && r.code === 4100));
    assert.deepEqual(await accepted(ids.rate!), { orders: 4, qty: 4, withdrawals: 0, amount: 0 });
  });

  test('the session that kept hitting its limits paused itself: the popup says so, the badge shows it', async () => {
    const sessions = await rpc<Array<{ id: string; paused?: { by: string } }>>(ext.context, ext.extensionId, 'session_listAll');
    assert.equal(sessions.find((x) => x.id === ids.rate)?.paused?.by, 'auto');
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await popup.getByText('Paused by Keyhold: this session kept hitting its limits.').waitFor();
    await popup.close();
    const worker = await runningWorker(ext.context, ext.extensionId);
    const badge = await worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> } } }).chrome;
      return { text: await c.action.getBadgeText({}), title: await c.action.getTitle({}) };
    });
    assert.equal(badge.text, '⏸');
    assert.match(badge.title, /1 session paused after hitting its limits/);
  });

  test('caps across a worker kill and a browser restart: the accepted quantity never passes 25', async () => {
    const s = await policySession(page, { ttlSeconds: 3600, requestTypes: [1], label: 'Caps', service: { baseUrl: service.url }, policy: { caps: [{ requestType: 1, pointer: '/qty', max: 25 }] } });
    ids.caps = s.id;
    const first = await attack(page, 'keyhold_send', order(s.id, 10), 5);
    assert.equal(first.filter((r) => r.ok).length, 2);
    assert.ok(first.filter((r) => !r.ok).every((r) => r.code === 4100 && r.policy === 'caps'));
    await stopWorker(ext.context, ext.extensionId);
    const afterKill = await attack(page, 'keyhold_send', order(s.id, 6), 3);
    assert.ok(afterKill.every((r) => !r.ok && r.policy === 'caps'), JSON.stringify(afterKill));
    const five = await attack(page, 'keyhold_send', order(s.id, 5), 1);
    // 25 reached exactly, or refused if the kill's reservation still counts (never more).
    assert.ok(five[0]!.ok || five[0]!.policy === 'caps');
    assert.ok((await accepted(s.id)).qty <= 25);
  });

  test('confirm types: Withdraw waits for a click showing the decoded body; Reject gives 4001 and nothing reaches the service', async () => {
    const s = await policySession(page, { ttlSeconds: 3600, role: 'FULL_ACCESS', requestTypes: [1, 2], label: 'Confirm', service: { baseUrl: service.url }, policy: { maxPerHour: 10 } });
    assert.deepEqual(s.policy, { maxPerHour: 10, confirmTypes: [2] }, 'the descriptor made Withdraw (transfer) a confirm type');
    ids.confirm = s.id;
    const withdraw = { sessionId: s.id, path: '/api/v1/withdrawals', requestType: 2, body: b64({ asset: 'USDC', amount: 5 }) };
    const rejected = attack(page, 'keyhold_send', withdraw, 1);
    let w = await nextApprovalPage(ext.context);
    assert.equal(await w.getByTestId('confirm-summary').textContent(), 'Withdraw 5 USDC');
    assert.deepEqual(JSON.parse((await w.getByTestId('confirm-body').textContent())!), { asset: 'USDC', amount: 5 });
    await w.getByRole('button', { name: 'Reject', exact: true }).click();
    assert.deepEqual(await rejected, [{ ok: false, code: 4001, policy: undefined }]);
    assert.equal((await accepted(s.id)).withdrawals, 0);
    await noApprovalWindow(ext.context);
    const approved = attack(page, 'keyhold_send', withdraw, 1);
    w = await nextApprovalPage(ext.context);
    await w.getByRole('button', { name: 'Approve', exact: true }).click({ timeout: 15_000 });
    assert.deepEqual(await approved, [{ ok: true }]);
    assert.equal((await accepted(s.id)).withdrawals, 1);
    // Orders (type 1) need no click.
    assert.ok((await attack(page, 'keyhold_send', order(s.id, 1), 1))[0]!.ok);
  });

  test('a confirm-type signRequest does not hold back the signatures batched with it: they answer before the click', async () => {
    await noApprovalWindow(ext.context);
    const s = await policySession(page, { ttlSeconds: 3600, requestTypes: [1, 2], label: 'Batch', policy: { confirmTypes: [2] } });
    const normals = await page.evaluate(
      async ({ sessionId, order, withdraw }) => {
        const w = window as unknown as { keyhold: NonNullable<Window['keyhold']>; confirmed?: Promise<string> };
        // One task, so one batch: the confirm-type request first, three orders after it.
        w.confirmed = w.keyhold.request({ method: 'keyhold_signRequest', params: [{ sessionId, requestType: 2, body: withdraw }] }).then(() => 'signed', (e: { code?: number }) => `refused ${e.code}`);
        const answered = Promise.all([1, 2, 3].map(() => w.keyhold.request({ method: 'keyhold_signRequest', params: [{ sessionId, requestType: 1, body: order }] }))).then((r) => r.length);
        return Promise.race([answered, new Promise((r) => setTimeout(() => r('held back'), 20_000))]);
      },
      { sessionId: s.id, order: b64({ side: 'buy', qty: 1, symbol: 'BTC-USD' }), withdraw: b64({ asset: 'USDC', amount: 2 }) },
    );
    assert.equal(normals, 3, 'the three orders were signed while the Withdraw waited');
    const w = await nextApprovalPage(ext.context);
    assert.equal(await page.evaluate(() => Promise.race([(window as unknown as { confirmed: Promise<string> }).confirmed, new Promise((r) => setTimeout(() => r('waiting'), 300))])), 'waiting');
    await w.getByRole('button', { name: 'Approve', exact: true }).click({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { confirmed: Promise<string> }).confirmed), 'signed');
  });

  test('Pause from the popup refuses the waiting confirmation and every signature, and survives a browser restart; Resume', async () => {
    await noApprovalWindow(ext.context);
    const withdraw = { sessionId: ids.confirm!, path: '/api/v1/withdrawals', requestType: 2, body: b64({ asset: 'USDC', amount: 1 }) };
    const waiting = attack(page, 'keyhold_send', withdraw, 1);
    await nextApprovalPage(ext.context);
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const card = popup.getByRole('article', { name: 'Confirm', exact: true });
    await card.getByRole('button', { name: 'Pause', exact: true }).click({ timeout: 20_000 });
    await card.getByRole('button', { name: 'Resume', exact: true }).waitFor({ timeout: 20_000 });
    assert.deepEqual(await waiting, [{ ok: false, code: 4100, policy: 'paused' }]);
    assert.deepEqual(await attack(page, 'keyhold_signRequest', { sessionId: ids.confirm!, requestType: 1, body: b64({ side: 'buy', qty: 1 }) }, 2), [
      { ok: false, code: 4100, policy: 'paused' },
      { ok: false, code: 4100, policy: 'paused' },
    ]);
    const before = await accepted(ids.confirm!);

    // Browser restart on the same profile.
    await ext.close();
    ext = await launchExtension({ userDataDir: profile });
    page = await openDapp(ext.context, server.urlA);
    assert.deepEqual(await attack(page, 'keyhold_send', order(ids.confirm!, 1), 2), [
      { ok: false, code: 4100, policy: 'paused' },
      { ok: false, code: 4100, policy: 'paused' },
    ]);
    // The caps session's sum and hour count survived too.
    const capped = await attack(page, 'keyhold_send', order(ids.caps!, 6), 2);
    assert.ok(capped.every((r) => !r.ok && r.policy === 'caps'), JSON.stringify(capped));
    assert.ok((await accepted(ids.caps!)).qty <= 25);
    // The rate session is still paused by itself.
    assert.ok((await attack(page, 'keyhold_send', order(ids.rate!, 1), 1)).every((r) => !r.ok && r.policy === 'paused'));
    assert.deepEqual(await accepted(ids.confirm!), before);

    await rpc(ext.context, ext.extensionId, 'session_resume', { sessionId: ids.confirm });
    await unlock(ext.context, ext.extensionId).catch(() => undefined);
    assert.ok((await attack(page, 'keyhold_send', order(ids.confirm!, 1), 1))[0]!.ok);
  });

  test('maxPerHour across a browser restart', async () => {
    await unlock(ext.context, ext.extensionId).catch(() => undefined);
    const s = await policySession(page, { ttlSeconds: 3600, requestTypes: [1], label: 'Hourly', service: { baseUrl: service.url }, policy: { maxPerHour: 3 } });
    assert.equal((await attack(page, 'keyhold_send', order(s.id, 1), 2)).filter((r) => r.ok).length, 2);
    await ext.close();
    ext = await launchExtension({ userDataDir: profile });
    page = await openDapp(ext.context, server.urlA);
    const later = await attack(page, 'keyhold_send', order(s.id, 1), 4);
    assert.ok(later.filter((r) => r.ok).length <= 1);
    assert.ok(later.filter((r) => !r.ok).every((r) => r.policy === 'maxPerHour'));
    assert.ok((await accepted(s.id)).orders <= 3);
  });

  test('Activity shows the request type by name and risk, and a binary body by its size and a hex preview of its first 32 bytes; the log keeps no more', async () => {
    const descriptor = { name: 'Blob store', requestTypes: { 9: { name: 'PutBlob', risk: 'read', body: 'binary' } } };
    const s = await policySession(page, { ttlSeconds: 3600, requestTypes: [9], label: 'Blobs', descriptor, policy: { maxPerHour: 5 } });
    const body = Uint8Array.from({ length: 40 }, (_, i) => (i * 7 + 0xa0) & 0xff);
    ok(await call(page, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 9, body: Buffer.from(body).toString('base64') }]));
    const log = await rpc<Array<{ sessionId?: string; kind: string; summary?: string; bodyPreview?: { size: number; hex: string } }>>(ext.context, ext.extensionId, 'activity_list', {});
    const entry = log.find((e) => e.sessionId === s.id && e.kind === 'sign');
    assert.deepEqual(entry?.bodyPreview, { size: 40, hex: Buffer.from(body.subarray(0, 32)).toString('hex') });
    assert.equal(entry?.summary, 'PutBlob: 40 bytes');
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await popup.getByRole('tab', { name: 'Activity' }).click();
    const item = popup.getByRole('listitem').filter({ hasText: 'PutBlob: 40 bytes' });
    await item.waitFor();
    const spaced = Array.from(body.subarray(0, 32), (b) => b.toString(16).padStart(2, '0')).join(' ');
    assert.equal(await item.getByLabel('First 32 bytes in hex').textContent(), `${spaced} …`);
    assert.match((await item.textContent())!, /Binary body 40 bytes/);
    // The request type by name and risk, as the descriptor describes it.
    await item.getByText('PutBlob (type 9)', { exact: true }).waitFor();
    await item.getByText('read', { exact: true }).waitFor();
    const past = Array.from(body.subarray(32, 34), (b) => b.toString(16).padStart(2, '0')).join(' ');
    assert.ok(!(await item.textContent())!.includes(past), 'nothing past the 32nd byte');
    await popup.close();
  });

  test('every refusal is in the activity log; Activity filters by session and exports JSON and CSV as downloads', async () => {
    const log = await rpc<Array<{ kind: string; policy?: string; sessionId: string; summary?: string }>>(ext.context, ext.extensionId, 'activity_list', {});
    const refusals = log.filter((e) => e.kind === 'policy-refused');
    for (const rule of ['rules', 'maxPerMinute', 'caps', 'paused', 'maxPerHour']) assert.ok(refusals.some((e) => e.policy === rule), `a ${rule} refusal is logged`);
    assert.ok(log.some((e) => e.kind === 'session-paused'));
    assert.ok(log.some((e) => e.kind === 'sign' && e.summary === 'buy 1 BTC-USD'), 'signed requests carry their summary');
    // Every refusal the first session's page saw: 2 over the rule, 26 of the burst, 3 signRequests, 1 after the restart.
    const rate = log.filter((e) => e.sessionId === ids.rate && e.kind === 'policy-refused');
    assert.equal(rate.length, 32);
    // The first 10 by a limit (then it paused itself), the rest as paused.
    assert.equal(rate.filter((e) => e.policy !== 'paused').length, 10);

    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await popup.getByRole('tab', { name: 'Activity' }).click();
    await popup.getByLabel('Session').selectOption({ index: 1 });
    const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    assert.match(csv.split('\r\n')[0]!, /^at,origin,kind,sessionId,requestType,requestId,summary,policy,by$/);
    const [jsonDownload] = await Promise.all([popup.waitForEvent('download'), popup.getByRole('button', { name: 'Export JSON' }).click()]);
    const rows = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8')) as Array<{ sessionId: string }>;
    assert.ok(rows.length > 0);
    assert.equal(new Set(rows.map((r) => r.sessionId)).size, 1, 'filtered to one session');
    await popup.close();
  });
});
