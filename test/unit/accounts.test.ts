/**
 * Several accounts in the vault: deriving the next (m/44'/60'/0'/0/i, checked against viem's own
 * HD derivation), naming, selecting; on connect the site sees the accounts the user picked
 * (default: the selected one); the popup changes them later and the site's pages get
 * `accountsChanged`. Master-key signatures land in the activity log, never with a message.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mnemonicToAccount } from 'viem/accounts';
import { decideApproval } from '../../background/approvals/decide.js';
import { answer } from '../../background/router/page-port.js';
import { answerRpc } from '../../background/router/extension-rpc.js';
import { listAtService, revokeAtService } from '../../background/services/master-calls.js';
import type { VaultRecord } from '../../background/vault/cipher.js';
import type { KeyholdDb } from '../../background/db.js';
import type { PageResponse } from '../../src/protocol/envelope.js';
import type { ActivityView } from '../../src/protocol/extension-rpc.js';
import { activateWithVault } from '../../background/services/activate.js';
import { ORIGIN_A, ORIGIN_B, makeDeps, makeSessionRecord, until, type TestDeps } from './fakes.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const PASSWORD = 'correct horse battery';
const addr = (i: number) => mnemonicToAccount(HARDHAT, { addressIndex: i }).address;
const lower = (i: number) => addr(i).toLowerCase();

let n = 0;
const ask = (deps: TestDeps, method: string, params?: unknown, origin = ORIGIN_A): Promise<PageResponse> =>
  answer(deps, origin, params === undefined ? { id: `a${++n}`, method } : { id: `a${++n}`, method, params });
const result = <T>(r: PageResponse): T => {
  if ('error' in r) throw new Error(`unexpected error ${r.error.code} ${r.error.message}`);
  return r.result as T;
};
async function rpc<T>(deps: TestDeps, method: string, params: unknown): Promise<T> {
  const a = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method, params });
  if (!a.ok) throw Object.assign(new Error(a.error.message), { code: a.error.code });
  return a.result as T;
}
const code = (c: number, text?: string) => (e: unknown) => {
  const err = e as { code?: number; message?: string };
  assert.equal(err.code, c, err.message);
  if (text) assert.ok(err.message?.includes(text), `"${err.message}" should include "${text}"`);
  return true;
};

async function vault(accounts = 1): Promise<TestDeps> {
  const deps = await makeDeps();
  await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts }, PASSWORD);
  return deps;
}

async function decideNext(deps: TestDeps, opts: { accounts?: string[] } = {}) {
  await until(async () => (await deps.approvals.pending()).length > 0, 'a pending approval');
  const approval = (await deps.approvals.pending())[0]!;
  await decideApproval(deps, approval.id, true, opts);
  return approval;
}

type View = { accounts: string[]; names: string[]; selected: string; canAddAccount: boolean };

describe('accounts in the vault', () => {
  test("add derives m/44'/60'/0'/0/i in order, with a name; it survives lock and unlock", async () => {
    const deps = await vault();
    const v1 = await rpc<View>(deps, 'vault_addAccount', { name: 'Trading' });
    assert.deepEqual(v1.accounts, [addr(0), addr(1)]);
    assert.deepEqual(v1.names, ['Account 1', 'Trading']);
    const v2 = await rpc<View>(deps, 'vault_addAccount', {});
    assert.deepEqual(v2.accounts, [addr(0), addr(1), addr(2)]);
    assert.deepEqual(v2.names, ['Account 1', 'Trading', 'Account 3']);
    // The new keys sign at once, and after a lock and unlock.
    assert.equal((await deps.vault.accounts())[2]!.address, addr(2));
    await deps.vault.lock();
    await deps.vault.unlock(PASSWORD);
    assert.deepEqual((await deps.vault.accounts()).map((a) => a.address), [addr(0), addr(1), addr(2)]);
  });

  test('rename and select; bad names and foreign addresses are -32602 and change nothing', async () => {
    const deps = await vault(2);
    const v = await rpc<View>(deps, 'vault_renameAccount', { address: lower(1), name: '  Savings ' });
    assert.deepEqual(v.names, ['Account 1', 'Savings']);
    assert.equal(v.selected, addr(0));
    assert.equal((await rpc<View>(deps, 'vault_selectAccount', { address: addr(1) })).selected, addr(1));
    const before = await deps.vault.status();
    await assert.rejects(rpc(deps, 'vault_renameAccount', { address: lower(1), name: 'a\u0007b' }), code(-32602));
    await assert.rejects(rpc(deps, 'vault_renameAccount', { address: lower(1), name: 'x'.repeat(65) }), code(-32602));
    await assert.rejects(rpc(deps, 'vault_selectAccount', { address: '0x' + '11'.repeat(20) }), code(-32602, 'not an account'));
    await assert.rejects(rpc(deps, 'vault_selectAccount', { address: 'nope' }), code(-32602));
    assert.deepEqual(await deps.vault.status(), before);
  });

  test('locked, a private-key vault, or 10 accounts: add is refused and nothing changes', async () => {
    const deps = await vault();
    await deps.vault.lock();
    await assert.rejects(rpc(deps, 'vault_addAccount', {}), code(4100));
    const pk = await makeDeps();
    await pk.vault.create({ kind: 'privateKey', privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80' }, PASSWORD);
    assert.equal((await pk.vault.status()).canAddAccount, false);
    await assert.rejects(rpc(pk, 'vault_addAccount', {}), code(-32602, 'private key'));
    const full = await vault(10);
    assert.equal((await full.vault.status()).canAddAccount, false);
    await assert.rejects(rpc(full, 'vault_addAccount', {}), code(-32602, 'at most 10'));
    assert.equal((await full.vault.status()).accounts.length, 10);
  });

  test('a crash at the write of "add account" leaves the old vault and names, which open as before', async () => {
    const deps = await vault();
    await rpc(deps, 'vault_renameAccount', { address: lower(0), name: 'Main' });
    const before = [await deps.db.get('vault', 'master'), await deps.db.get('vault', 'accounts')];
    const crashing = new Proxy(deps.db, {
      get(target, prop, receiver) {
        if (prop === 'transaction') {
          // The transaction opens, then the worker dies before it commits.
          return (...args: Parameters<KeyholdDb['transaction']>) => {
            const tx = target.transaction(...args);
            queueMicrotask(() => tx.abort());
            return tx;
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as KeyholdDb;
    const { Vault } = await import('../../background/vault/vault.js');
    const dying = new Vault({ db: crashing, area: deps.area, now: () => deps.clock.now, iterations: 1_000 });
    await assert.rejects(dying.addAccount('Second'));
    assert.deepEqual([await deps.db.get('vault', 'master'), await deps.db.get('vault', 'accounts')], before);
    await deps.vault.lock();
    const s = await deps.vault.unlock(PASSWORD);
    assert.deepEqual(s.accounts, [addr(0)]);
    assert.deepEqual(s.names, ['Main']);
    assert.equal(((await deps.db.get('vault', 'master')) as VaultRecord).accounts.length, 1);
  });
});

describe('which accounts a site sees', () => {
  test('connect offers every account, ticks the selected one, and grants only that by default', async () => {
    const deps = await vault(3);
    await rpc(deps, 'vault_selectAccount', { address: addr(1) });
    const pending = ask(deps, 'eth_requestAccounts');
    const approval = await decideNext(deps);
    assert.deepEqual(approval.params, { accounts: [addr(0), addr(1), addr(2)], names: ['Account 1', 'Account 2', 'Account 3'], selected: addr(1) });
    assert.deepEqual(result(await pending), [lower(1)]);
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), [lower(1)]);
  });

  test('the accounts the user picks are what the site sees, in the vault order; a foreign pick is refused', async () => {
    const deps = await vault(3);
    const pending = ask(deps, 'eth_requestAccounts');
    await until(async () => (await deps.approvals.pending()).length > 0, 'approval');
    const [approval] = await deps.approvals.pending();
    const bad = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method: 'approval_decide', params: { approvalId: approval!.id, approve: true, accounts: ['0x' + '22'.repeat(20)] } });
    assert.ok(!bad.ok && bad.error.code === -32602, JSON.stringify(bad));
    const empty = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method: 'approval_decide', params: { approvalId: approval!.id, approve: true, accounts: [] } });
    assert.ok(!empty.ok && empty.error.code === -32602, JSON.stringify(empty));
    assert.equal((await deps.approvals.pending()).length, 1, 'still waiting: nothing was granted');
    assert.equal(await deps.permissions.get(ORIGIN_A), undefined);
    await rpc(deps, 'approval_decide', { approvalId: approval!.id, approve: true, accounts: [addr(2), lower(0)] });
    assert.deepEqual(result(await pending), [lower(0), lower(2)]);
    assert.deepEqual(deps.pushed.at(-1), { origin: ORIGIN_A, events: [{ event: 'connect', data: { chainId: '0x1' } }, { event: 'accountsChanged', data: [lower(0), lower(2)] }] });
    // Signing with an account the site was not shown is refused.
    const refused = await ask(deps, 'personal_sign', ['0x68656c6c6f', lower(1)]);
    assert.ok('error' in refused && refused.error.code === 4100);
  });

  test('the popup changes them later: accountsChanged to that site only, wallet_getPermissions follows', async () => {
    const deps = await vault(3);
    const p = ask(deps, 'eth_requestAccounts');
    await decideNext(deps);
    await p;
    const q = ask(deps, 'eth_requestAccounts', undefined, ORIGIN_B);
    await decideNext(deps);
    await q;
    deps.pushed.length = 0;
    const site = await rpc<{ accounts: string[] }>(deps, 'permission_setAccounts', { origin: ORIGIN_A, accounts: [addr(1), addr(2)] });
    assert.deepEqual(site.accounts, [lower(1), lower(2)]);
    assert.deepEqual(deps.pushed, [{ origin: ORIGIN_A, events: [{ event: 'accountsChanged', data: [lower(1), lower(2)] }] }]);
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), [lower(1), lower(2)]);
    assert.deepEqual(result(await ask(deps, 'eth_accounts', undefined, ORIGIN_B)), [lower(0)]);
    const perms = result<{ caveats: { value: string[] }[] }[]>(await ask(deps, 'wallet_getPermissions'));
    assert.deepEqual(perms[0]!.caveats[0]!.value, [lower(1), lower(2)]);
    // The same set again: no event. Bad input: -32602, nothing changes.
    deps.pushed.length = 0;
    await rpc(deps, 'permission_setAccounts', { origin: ORIGIN_A, accounts: [lower(2), lower(1)] });
    assert.deepEqual(deps.pushed, []);
    await assert.rejects(rpc(deps, 'permission_setAccounts', { origin: ORIGIN_A, accounts: [] }), code(-32602));
    await assert.rejects(rpc(deps, 'permission_setAccounts', { origin: ORIGIN_A, accounts: [lower(1), lower(1)] }), code(-32602));
    await assert.rejects(rpc(deps, 'permission_setAccounts', { origin: 'https://never.example', accounts: [lower(1)] }), code(-32602, 'not connected'));
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), [lower(1), lower(2)]);
    // While locked the site sees [] (and hears nothing now); unlocking shows it the new list.
    await deps.vault.lock();
    deps.pushed.length = 0;
    await rpc(deps, 'permission_setAccounts', { origin: ORIGIN_A, accounts: [lower(0)] });
    await new Promise((r) => setTimeout(r, 50));
    // Only the lock's own announcement ([]), never an account while locked.
    assert.deepEqual((deps.pushed as TestDeps['pushed']).flatMap((p) => p.events).filter((e) => JSON.stringify(e.data) !== '[]'), []);
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), []);
    await deps.vault.unlock(PASSWORD);
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), [lower(0)]);
  });
});

describe('master signatures in the activity log', () => {
  test('personal_sign, typed data, API key create and revoke (popup and at its service), service login, ListSessions, RevokeSession: logged, never a message', async () => {
    const deps = await vault(2);
    const p = ask(deps, 'eth_requestAccounts');
    await decideNext(deps, { accounts: [lower(0), lower(1)] });
    await p;
    const secretText = 'very private message 12345';
    const signing = ask(deps, 'personal_sign', [`0x${Buffer.from(secretText).toString('hex')}`, lower(1)]);
    await decideNext(deps);
    result(await signing);
    const typed = {
      types: { EIP712Domain: [{ name: 'name', type: 'string' }], Note: [{ name: 'text', type: 'string' }] },
      primaryType: 'Note', domain: { name: 'Notes' }, message: { text: 'typed secret 67890' },
    };
    const typing = ask(deps, 'eth_signTypedData_v4', [lower(0), JSON.stringify(typed)]);
    await decideNext(deps);
    result(await typing);
    const keying = ask(deps, 'keyhold_createApiKey', [{ name: 'bot', validUntil: deps.clock.now + 86_400_000 }]);
    await decideNext(deps);
    const key = result<{ id: string; publicKey: string }>(await keying);
    await rpc(deps, 'apiKey_signRevoke', { address: lower(0), publicKeyHex: key.publicKey, name: 'bot' });
    const service = 'https://svc.example';
    // A service session logged in by the vault (account 2 named in the login).
    const session = await makeSessionRecord({ origin: ORIGIN_A });
    session.service = { baseUrl: service, master: 'secp256k1', status: 'pending', loginPayload: new TextEncoder().encode('login message bytes'), signer: 'vault', address: addr(1), deviceKey: null };
    await deps.sessions.add(session);
    deps.fakeHttp.respond = () => ({ status: 200, body: { device_key: Buffer.alloc(32, 7).toString('base64'), session: { id: session.id } } });
    assert.equal((await activateWithVault(deps, session)).service?.status, 'active');
    // The popup's list and revoke at a service where the master logged in itself.
    deps.fakeHttp.respond = (url) => (url.endsWith('/list') ? { status: 200, body: [] } : { status: 200, body: { session_revoked: true } });
    await listAtService(deps, service);
    await revokeAtService(deps, service, '0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000');
    // An API key registered at a service, revoked there: the master signs the revocation.
    const keyed = ask(deps, 'keyhold_createApiKey', [{ name: 'svc-bot', validUntil: deps.clock.now + 86_400_000, service: { baseUrl: service } }]);
    await decideNext(deps);
    const svcKey = result<{ id: string }>(await keyed);
    deps.fakeHttp.respond = () => ({ status: 200, body: {} });
    result(await ask(deps, 'keyhold_revokeSession', [{ sessionId: svcKey.id }]));
    const log = (await rpc<ActivityView[]>(deps, 'activity_list', {})).filter((e) => e.kind === 'master-sign').reverse();
    assert.deepEqual(log.map(({ origin, method, account, sessionId }) => ({ origin, method, account, sessionId })), [
      { origin: ORIGIN_A, method: 'personal_sign', account: lower(1), sessionId: undefined },
      { origin: ORIGIN_A, method: 'eth_signTypedData_v4', account: lower(0), sessionId: undefined },
      { origin: ORIGIN_A, method: 'apiKey-create', account: lower(0), sessionId: key.id },
      { origin: 'keyhold', method: 'apiKey-revoke', account: lower(0), sessionId: undefined },
      { origin: ORIGIN_A, method: 'login', account: lower(1), sessionId: undefined },
      { origin: service, method: 'ListSessions', account: lower(0), sessionId: undefined },
      { origin: service, method: 'RevokeSession', account: lower(0), sessionId: undefined },
      { origin: ORIGIN_A, method: 'apiKey-create', account: lower(0), sessionId: svcKey.id },
      { origin: ORIGIN_A, method: 'apiKey-revoke', account: lower(0), sessionId: svcKey.id },
    ]);
    // The service calls carry the request type and the request id of what was signed.
    const sent = deps.fakeHttp.calls.filter((c) => c.url.includes('/auth/sessions/')).map((c) => Buffer.from((c.json as { payload: string }).payload, 'base64'));
    assert.deepEqual(log.slice(5, 7).map((e) => e.requestType), [47, 14]);
    assert.deepEqual(log.slice(5, 7).map((e) => e.requestId), sent.slice(0, 2).map((b) => {
      const h = b.subarray(8, 24).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }));
    const text = JSON.stringify(await deps.audit.list());
    for (const secret of [secretText, 'typed secret', Buffer.from(secretText).toString('hex'), PASSWORD, 'login message bytes']) assert.ok(!text.includes(secret), `the log holds ${secret}`);
  });
});
