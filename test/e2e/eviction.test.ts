/**
 * Storage the browser never evicts, in real Chromium: the built extension's worker gets the
 * unlimited quota (usage plus the free disk), not the best-effort share a web origin in the same
 * browser gets, and the check at every worker start reports "persistent". The same build with
 * `unlimitedStorage` taken out of its manifest gets the best-effort share, and then the check
 * reports "evictable", the popup warns with what to do, and the activity log records it: so
 * the first test's assertions hold because of the permission.
 * Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import type { ActivityView, StorageStatusView } from '../../src/protocol/extension-rpc.js';
import { DIST, ROOT, launchExtension, startServer, stopWorker, type Extension, type FixtureServer } from './harness.js';

interface Estimate {
  quota: number;
  usage: number;
}

const headroom = (e: Estimate): number => e.quota - e.usage;
const workerEstimate = (worker: Worker): Promise<Estimate> =>
  worker.evaluate(async () => {
    const { quota, usage } = await navigator.storage.estimate();
    return { quota: quota!, usage: usage! };
  });

/** What a best-effort origin gets in the same browser: the fixture page's estimate. */
async function bestEffortEstimate(ext: Extension, server: FixtureServer): Promise<Estimate> {
  const page = await ext.context.newPage();
  try {
    await page.goto(server.urlA);
    const e = await page.evaluate(async () => {
      const { quota, usage } = await navigator.storage.estimate();
      return { quota: quota!, usage: usage!, persisted: await navigator.storage.persisted() };
    });
    assert.equal(e.persisted, false, 'the web page is best-effort');
    return e;
  } finally {
    await page.close();
  }
}

async function openPopup(ext: Extension): Promise<Page> {
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 360, height: 560 });
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  return page;
}

/** The extension-page RPC, called from the popup as the popup does. */
async function rpc<T>(popup: Page, method: string, params: unknown = {}): Promise<T> {
  const answer = (await popup.evaluate(
    ([m, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(x: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method: m, params: p }),
    [method, params] as const,
  )) as { ok: boolean; result?: T; error?: { code: number; message: string } };
  if (!answer.ok) throw new Error(`${method}: ${answer.error?.code} ${answer.error?.message}`);
  return answer.result as T;
}

const WARNING = "Your browser may delete Keyhold's data";

let server: FixtureServer;
before(async () => {
  server = await startServer();
  await mkdir(join(ROOT, 'artifacts/screenshots'), { recursive: true });
});
after(async () => {
  await server?.close();
});

describe('the built extension (unlimitedStorage)', () => {
  let ext: Extension;
  before(async () => {
    ext = await launchExtension();
  });
  after(async () => {
    await ext?.close();
  });

  test("the worker's quota is the unlimited one, larger than the best-effort share a web origin gets", async () => {
    const manifest = JSON.parse(await readFile(join(DIST, 'manifest.json'), 'utf8'));
    assert.ok(manifest.permissions.includes('unlimitedStorage'), 'the manifest asks for unlimitedStorage');
    const worker = await workerEstimate(ext.worker);
    const web = await bestEffortEstimate(ext, server);
    assert.ok(
      headroom(worker) > headroom(web),
      `worker: ${worker.usage} used of ${worker.quota}; a best-effort origin: ${web.usage} of ${web.quota}`,
    );
  });

  test('the check at start reports "persistent"; the popup shows no warning; nothing is logged', async () => {
    const popup = await openPopup(ext);
    try {
      const status = await rpc<StorageStatusView>(popup, 'storage_status');
      assert.equal(status.state, 'persistent', JSON.stringify(status));
      assert.equal(status.basis, 'unlimited', "Chromium keeps persisted() false: the quota shows the grant");
      assert.equal(status.unlimitedStorage, true);
      assert.equal(status.persisted, false);
      const web = await bestEffortEstimate(ext, server);
      assert.ok(status.quota! - status.usage! > headroom(web), 'the check read the unlimited quota');
      await popup.getByRole('heading', { name: 'Sessions' }).waitFor();
      // The popup asked when it opened; its answer (the same check) is in by the time ours is.
      await rpc(popup, 'storage_status');
      await popup.waitForTimeout(300);
      assert.equal(await popup.getByText(WARNING).count(), 0, 'no storage warning');
      const log = await rpc<ActivityView[]>(popup, 'activity_list');
      assert.deepEqual(log.filter((e) => e.kind === 'storage-evictable'), []);
    } finally {
      await popup.close();
    }
  });

  test('after the worker restarts, its own check at start reports "persistent" again', async () => {
    const popup = await openPopup(ext);
    try {
      const before = await rpc<StorageStatusView>(popup, 'storage_status');
      const { wasRunning } = await stopWorker(ext.context, ext.extensionId);
      assert.ok(wasRunning, 'the worker was stopped');
      const after = await rpc<StorageStatusView>(popup, 'storage_status');
      assert.ok(after.checkedAt > before.checkedAt, 'a new check, by the new worker');
      assert.deepEqual([after.state, after.basis], ['persistent', 'unlimited']);
    } finally {
      await popup.close();
    }
  });
});

describe('the same build without unlimitedStorage (what the permission prevents)', () => {
  let ext: Extension;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyhold-best-effort-'));
    await cp(DIST, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    manifest.permissions = manifest.permissions.filter((p: string) => p !== 'unlimitedStorage');
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    ext = await launchExtension({ extensionDir: dir });
  });
  after(async () => {
    await ext?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("the worker's quota is only the best-effort share", async () => {
    const worker = await workerEstimate(ext.worker);
    const web = await bestEffortEstimate(ext, server);
    assert.ok(headroom(worker) <= headroom(web), `worker: ${worker.usage} used of ${worker.quota}; web: ${web.usage} of ${web.quota}`);
  });

  test('the check reports "evictable", the popup warns with what to do, and the activity log records it', async () => {
    const popup = await openPopup(ext);
    try {
      const status = await rpc<StorageStatusView>(popup, 'storage_status');
      assert.deepEqual([status.state, status.basis, status.unlimitedStorage, status.persisted], ['evictable', null, false, false]);

      const warning = popup.getByRole('alert', { name: WARNING });
      await warning.waitFor({ timeout: 10_000 });
      await popup.screenshot({ path: join(ROOT, 'artifacts/screenshots/popup-storage-warning.png') });
      const text = await warning.innerText();
      for (const words of ['the vault, every session and the revocations still owed to services', 'Free some disk space', 'recovery phrase', 'unlimited storage not granted']) {
        assert.ok(text.includes(words), `the warning says "${words}": ${text}`);
      }
      const checkAgain = warning.getByRole('button', { name: 'Check again' });
      await checkAgain.click();
      await warning.getByRole('button', { name: 'Check again' }).waitFor();
      const rechecked = await rpc<StorageStatusView>(popup, 'storage_status');
      assert.ok(rechecked.checkedAt > status.checkedAt, '"Check again" checked again');
      assert.equal(rechecked.state, 'evictable');

      const log = await rpc<ActivityView[]>(popup, 'activity_list');
      const lines = log.filter((e) => e.kind === 'storage-evictable');
      assert.equal(lines.length, 1, 'logged once for this browser run, not again on "Check again"');
      assert.equal(lines[0]!.origin, `chrome-extension://${ext.extensionId}`);
      await popup.getByRole('tab', { name: 'Activity' }).click();
      await popup.getByText('Storage can be evicted').waitFor({ timeout: 10_000 });
    } finally {
      await popup.close();
    }
  });
});
