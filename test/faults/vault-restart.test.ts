/**
 * The vault across a worker kill and a browser restart, in real Chromium: unlocked keys live in
 * `storage.session` (memory, kept while the browser runs), the encrypted master in IndexedDB.
 * After the worker is killed the vault is still unlocked — a `personal_sign` approval works
 * without the password; after the browser restarts on the same profile it is locked — the
 * approval window asks for the password first — and the site is still connected.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { verifyMessage } from 'viem';
import { approveNext, call, launchExtension, nextApprovalPage, ok, openDapp, startServer, stopWorker, type Extension, type FixtureServer } from '../e2e/harness.js';
import { noApprovalWindow, rpc } from './browser.js';
import { record } from './counts.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const ACCOUNT = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const PASSWORD = 'correct horse battery';

interface VaultView {
  exists: boolean;
  unlocked: boolean;
  accounts: string[];
}

let server: FixtureServer;
let dir: string;
before(async () => {
  server = await startServer();
  dir = await mkdtemp(join(tmpdir(), 'keyhold-vault-'));
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** personal_sign from the page; the caller handles the approval window. Answers the signature. */
function personalSign(page: Page, text: string): Promise<string> {
  const hex = `0x${Buffer.from(text).toString('hex')}`;
  return call<string>(page, 'personal_sign', [hex, ACCOUNT]).then((r) => ok(r, 'personal_sign'));
}

describe('the vault across restarts', () => {
  test('after a worker kill it stays unlocked (personal_sign without the password); after a browser restart it is locked (the approval asks for the password), the site still connected', async () => {
    let ext: Extension = await launchExtension({ userDataDir: dir });
    let kills = 0;
    let restarts = 0;
    let keysLost = 0;
    try {
      const created = await rpc<VaultView>(ext.context, ext.extensionId, 'vault_create', { password: PASSWORD, secret: { kind: 'mnemonic', mnemonic: HARDHAT } });
      assert.equal(created.unlocked, true);
      let page = await openDapp(ext.context, server.urlA);
      const connecting = call<string[]>(page, 'eth_requestAccounts');
      await approveNext(ext.context, 'Approve');
      assert.deepEqual(ok(await connecting), [ACCOUNT]);
      await noApprovalWindow(ext.context);

      // A worker kill: still unlocked.
      if ((await stopWorker(ext.context, ext.extensionId)).wasRunning) kills++;
      const afterKill = personalSign(page, 'after a worker kill');
      const approval = await nextApprovalPage(ext.context);
      await approval.getByText('after a worker kill').waitFor();
      assert.equal(await approval.getByLabel('Password', { exact: true }).count(), 0, 'no password asked after a worker kill');
      await approval.getByRole('button', { name: 'Approve', exact: true }).click();
      const sig1 = await afterKill;
      if (!(await verifyMessage({ address: ACCOUNT, message: 'after a worker kill', signature: sig1 as `0x${string}` }))) keysLost++;
      assert.equal((await rpc<VaultView>(ext.context, ext.extensionId, 'vault_status')).unlocked, true);
      await noApprovalWindow(ext.context);

      // A browser restart on the same profile: locked, still connected.
      await ext.close();
      ext = await launchExtension({ userDataDir: dir });
      restarts++;
      const status = await rpc<VaultView>(ext.context, ext.extensionId, 'vault_status');
      assert.deepEqual([status.exists, status.unlocked, status.accounts.map((a) => a.toLowerCase())], [true, false, [ACCOUNT]], 'the vault is there, locked');
      page = await openDapp(ext.context, server.urlA);
      // Locked: eth_accounts is [] (as MetaMask answers); the site's permission stays.
      assert.deepEqual(ok(await call(page, 'eth_accounts')), [], 'no accounts shown while locked');
      const perms = ok(await call<{ caveats: { value: string[] }[] }[]>(page, 'wallet_getPermissions'));
      assert.deepEqual(perms[0]?.caveats[0]?.value, [ACCOUNT], 'still connected across the restart');
      const afterRestart = personalSign(page, 'after a browser restart');
      const locked = await nextApprovalPage(ext.context);
      await locked.getByText('after a browser restart').waitFor();
      const approve = locked.getByRole('button', { name: 'Approve', exact: true });
      await locked.getByLabel('Password', { exact: true }).waitFor();
      assert.equal(await approve.isDisabled(), true, 'Approve waits for the unlock');
      await locked.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await locked.getByRole('button', { name: 'Unlock', exact: true }).click();
      await approve.click();
      const sig2 = await afterRestart;
      if (!(await verifyMessage({ address: ACCOUNT, message: 'after a browser restart', signature: sig2 as `0x${string}` }))) keysLost++;
      assert.equal((await rpc<VaultView>(ext.context, ext.extensionId, 'vault_status')).unlocked, true, 'unlocked from the approval window');
    } finally {
      record('vault across a worker kill and a browser restart', { kills, restarts, keysLost });
      await ext.close();
    }
    assert.equal(keysLost, 0, 'each signature verifies for the vault account');
  });
});
