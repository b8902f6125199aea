/**
 * The extension-page RPC as one typed table (issue 13): every method has a parser and a handler
 * (and the compiler refuses a table without one), bad params of every method are refused with
 * -32602 naming the field before any handler runs, the one address parser refuses every
 * malformed address wherever one enters, and each change is broadcast by an event named for
 * who hears it.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddress, parseAddressList } from '../../src/protocol/address.js';
import { isEventMessage, type ExtensionMethod } from '../../src/protocol/extension-rpc.js';
import { decideApproval } from '../../background/approvals/decide.js';
import { extensionParamParsers } from '../../background/router/extension-params.js';
import { answerRpc, extensionHandlers, type ExtensionHandlers } from '../../background/router/extension-rpc.js';
import { answer } from '../../background/router/page-port.js';
import { ORIGIN_A, makeDeps, until, type TestDeps } from './fakes.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const ACCOUNT = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const PASSWORD = 'correct horse battery';
const UUID = '01941f29-7c00-7ec0-be2d-4cc89817a738';

const call = (deps: TestDeps, method: string, params: unknown) => answerRpc(deps, { channel: 'dev.keyhold/rpc', method, params });

async function refused(deps: TestDeps, method: string, params: unknown, code: number, names?: string): Promise<void> {
  const r = await call(deps, method, params);
  assert.ok(!r.ok, `${method} ${JSON.stringify(params)} should be refused`);
  assert.equal(r.error.code, code, `${method}: ${r.error.message}`);
  if (names) assert.ok(r.error.message.includes(names), `${method}: "${r.error.message}" should name ${names}`);
}

/** Malformed addresses: each must be refused by every door an address comes in by. */
const BAD_ADDRESSES: unknown[] = [null, undefined, 5, '', '0x', 'f39fd6e51aad88f6f4ce6ab8827279cfffb92266', `${ACCOUNT}0`, ACCOUNT.slice(0, 41), `0x${'g'.repeat(40)}`, ` ${ACCOUNT}`, `${ACCOUNT}\n`, ['0x'], { address: ACCOUNT }, 0x1234n];

describe('the extension RPC table', () => {
  test('one parser and one handler per method, the same methods', () => {
    assert.deepEqual(Object.keys(extensionParamParsers).sort(), Object.keys(extensionHandlers).sort());
    assert.ok(Object.keys(extensionHandlers).length >= 30);
  });

  test('a table missing a handler, or with a misshapen one, does not compile', () => {
    const { vault_lock: _dropped, ...rest } = extensionHandlers;
    // @ts-expect-error vault_lock is missing
    const missing: ExtensionHandlers = rest;
    // @ts-expect-error approval_windowIdle answers { closed: boolean }, not a string
    const wrongResult: ExtensionHandlers = { ...extensionHandlers, approval_windowIdle: async () => 'closed' };
    // @ts-expect-error session_revoke's params are { sessionId: string }, not a number
    const wrongParams: ExtensionHandlers = { ...extensionHandlers, session_revoke: async (_d: unknown, id: number) => ({ revoked: id > 0 }) };
    assert.ok(missing && wrongResult && wrongParams);
  });

  test('an unknown method is 4200, whatever its name', async () => {
    const deps = await makeDeps();
    for (const method of ['nope', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 42, null]) await refused(deps, method as string, {}, 4200);
  });

  test('bad params of every method: -32602 naming the field, before the handler runs', async () => {
    const deps = await makeDeps();
    await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    const before = JSON.stringify(await deps.vault.status());
    // Not an object (a method whose params may be left out still refuses these), and an unknown field.
    for (const method of Object.keys(extensionParamParsers) as ExtensionMethod[]) {
      for (const bad of [[], 'x', 7, true]) await refused(deps, method, bad, -32602, 'params');
      await refused(deps, method, { __proto__: null, extra: 1 }, -32602, 'extra');
    }
    const cases: Array<[ExtensionMethod, unknown, string]> = [
      ['approval_decide', { approvalId: UUID }, 'approve'],
      ['approval_decide', { approvalId: 'not-a-uuid', approve: false }, 'approvalId'],
      ['approval_decide', { approvalId: UUID, approve: true, acknowledged: 'yes' }, 'acknowledged'],
      ['session_revoke', { sessionId: 5 }, 'sessionId'],
      ['session_pause', {}, 'sessionId'],
      ['session_resume', { sessionId: `${UUID}x` }, 'sessionId'],
      ['session_revokeSite', { origin: 'x'.repeat(2049) }, 'origin'],
      ['service_listSessions', { baseUrl: 'http://example.com' }, 'baseUrl'],
      ['service_revokeSession', { baseUrl: 'https://example.com', sessionId: 'x' }, 'sessionId'],
      ['activity_list', { limit: 0 }, 'limit'],
      ['storage_status', { recheck: 1 }, 'recheck'],
      ['vault_generateMnemonic', { words: 13 }, 'words'],
      ['vault_create', { password: PASSWORD, secret: { kind: 'seed' } }, 'secret.kind'],
      ['vault_unlock', { password: 'x'.repeat(1025) }, 'password'],
      ['vault_unlockWithPasskey', { credentialId: 'AA', prfOutput: 'AA' }, 'prfOutput'],
      ['vault_addPasskey', { password: PASSWORD, credentialId: '!', prfSalt: 'AA', prfOutput: 'AA', name: 'k' }, 'credentialId'],
      ['vault_removePasskey', {}, 'credentialId'],
      ['vault_addAccount', { name: '' }, 'name'],
      ['vault_setSettings', { chainId: '1' }, 'chainId'],
      ['vault_setSettings', { autoLockMinutes: 0 }, 'autoLockMinutes'],
      ['apiKey_signRevoke', { address: ACCOUNT, publicKeyHex: 'ab', name: 'k' }, 'publicKeyHex'],
      ['permission_revoke', { origin: 7 }, 'origin'],
    ];
    for (const [method, params, field] of cases) await refused(deps, method, params, -32602, field);
    assert.equal(JSON.stringify(await deps.vault.status()), before, 'nothing changed');
    assert.deepEqual(deps.told, [], 'nothing was broadcast');
  });

  test('one address parser: every malformed address refused at every door, a good one lower-cased', async () => {
    for (const bad of BAD_ADDRESSES) {
      assert.throws(() => parseAddress(bad, 'field'), (e: { code?: number; message?: string }) => e.code === -32602 && e.message!.startsWith('field '));
      assert.throws(() => parseAddressList([bad], 'list', 10), (e: { code?: number }) => e.code === -32602);
    }
    assert.equal(parseAddress(ACCOUNT.toUpperCase().replace('0X', '0x'), 'a'), ACCOUNT);
    assert.throws(() => parseAddressList([ACCOUNT, ACCOUNT.toUpperCase().replace('0X', '0x')], 'list', 10), /twice/);
    assert.throws(() => parseAddressList([], 'list', 10), /1 to 10/);

    const deps = await makeDeps();
    await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    for (const bad of BAD_ADDRESSES.filter((b) => b !== undefined && typeof b !== 'bigint')) {
      await refused(deps, 'vault_selectAccount', { address: bad }, -32602, 'address');
      await refused(deps, 'vault_renameAccount', { address: bad, name: 'n' }, -32602, 'address');
      await refused(deps, 'apiKey_signRevoke', { address: bad, publicKeyHex: 'a1'.repeat(32), name: 'k' }, -32602, 'address');
      await refused(deps, 'permission_setAccounts', { origin: ORIGIN_A, accounts: [bad] }, -32602, 'accounts');
      await refused(deps, 'approval_decide', { approvalId: UUID, approve: true, accounts: [bad] }, -32602, 'accounts');
      const page = await answer(deps, ORIGIN_A, { id: 'p', method: 'personal_sign', params: ['0x01', bad] });
      assert.equal('error' in page && page.error.code, -32602);
    }
  });
});

describe('events named for who hears them', () => {
  test('a queued approval is popup:approvals-changed; deciding it also popup:sessions-changed; the vault, popup:vault-changed', async () => {
    const deps = await makeDeps();
    await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    deps.told.length = 0;
    const pending = answer(deps, ORIGIN_A, { id: 's1', method: 'keyhold_createSession', params: [{ ttlSeconds: 600 }] });
    await until(async () => (await deps.approvals.pending()).length === 1, 'the approval');
    assert.deepEqual(deps.told, ['popup:approvals-changed']);
    await decideApproval(deps, (await deps.approvals.pending())[0]!.id, true);
    await pending;
    assert.deepEqual(deps.told, ['popup:approvals-changed', 'popup:approvals-changed', 'popup:sessions-changed']);

    deps.told.length = 0;
    assert.ok((await call(deps, 'vault_lock', {})).ok);
    assert.deepEqual(deps.told, ['popup:vault-changed']);
    deps.told.length = 0;
    const [session] = await deps.sessions.listAll(0);
    assert.ok((await call(deps, 'session_revoke', { sessionId: session!.id })).ok);
    assert.deepEqual(deps.told, ['popup:sessions-changed']);
  });
});

describe('the pages hear the events meant for them', () => {
  test('a listener takes only its own events, on the RPC channel, never a request or a stranger', () => {
    const isEvent = isEventMessage;
    const ch = 'dev.keyhold/rpc';
    assert.equal(isEvent({ channel: ch, event: 'popup:approvals-changed' }, ['popup:approvals-changed']), true);
    assert.equal(isEvent({ channel: ch, event: 'popup:vault-changed' }, ['popup:approvals-changed']), false);
    // The old names are not events any more.
    assert.equal(isEvent({ channel: ch, event: 'approvals-changed' }, ['popup:approvals-changed']), false);
    assert.equal(isEvent({ channel: 'other', event: 'popup:approvals-changed' }, ['popup:approvals-changed']), false);
    assert.equal(isEvent({ channel: ch, method: 'approval_list', params: {} }, ['popup:approvals-changed']), false);
    for (const junk of [null, undefined, 'popup:approvals-changed', 7, []]) assert.equal(isEvent(junk, ['popup:approvals-changed']), false);
  });
});
