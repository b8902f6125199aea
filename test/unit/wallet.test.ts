/**
 * The EIP-1193 wallet through the worker's request path (`router/page-port.ts` `answer`):
 * connecting, accounts and permissions, personal_sign with SIWE, typed data, API keys,
 * node methods (4200), sessions that require an unlocked vault, and the events pushed to pages.
 * Signatures are checked with viem, which Keyhold does not use to sign.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyMessage, verifyTypedData } from 'viem';
import { createSiweMessage } from 'viem/siwe';
import { decideApproval } from '../../background/approvals/decide.js';
import { answer } from '../../background/router/page-port.js';
import { extensionHandlers } from '../../background/router/extension-rpc.js';
import { parseSiwe } from '../../background/wallet/siwe.js';
import { apiKeyCreateMessage, apiKeyRevokeMessage } from '../../background/wallet/api-key-message.js';
import type { PageResponse } from '../../src/protocol/envelope.js';
import { ORIGIN_A, ORIGIN_B, makeDeps, toB64, until, verifyEd25519, b64, type TestDeps } from './fakes.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const ACCOUNT = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const PASSWORD = 'correct horse battery';

let n = 0;
const ask = (deps: TestDeps, method: string, params?: unknown, origin = ORIGIN_A): Promise<PageResponse> =>
  answer(deps, origin, params === undefined ? { id: `r${++n}`, method } : { id: `r${++n}`, method, params });

function result<T>(r: PageResponse): T {
  if ('error' in r) throw new Error(`unexpected error ${r.error.code} ${r.error.message}`);
  return r.result as T;
}
function error(r: PageResponse, code: number, text?: string): void {
  assert.ok('error' in r, `expected error ${code}, got ${JSON.stringify((r as { result: unknown }).result)}`);
  assert.equal(r.error.code, code, r.error.message);
  if (text) assert.ok(r.error.message.includes(text), `"${r.error.message}" should include "${text}"`);
}

/** Waits for the next pending approval and decides it. */
async function decideNext(deps: TestDeps, approve = true, acknowledged?: boolean) {
  await until(async () => (await deps.approvals.pending()).length > 0, 'a pending approval');
  const approval = (await deps.approvals.pending())[0]!;
  await decideApproval(deps, approval.id, approve, acknowledged === undefined ? {} : { acknowledged });
  return approval;
}

async function withVault(): Promise<TestDeps> {
  const deps = await makeDeps();
  await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
  return deps;
}

async function connected(): Promise<TestDeps> {
  const deps = await withVault();
  const pending = ask(deps, 'eth_requestAccounts');
  await decideNext(deps);
  assert.deepEqual(result(await pending), [ACCOUNT]);
  return deps;
}

describe('accounts and permissions', () => {
  test('eth_accounts is [] until the user approves a connection; events go to that origin', async () => {
    const deps = await withVault();
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), []);
    assert.equal(result(await ask(deps, 'eth_chainId')), '0x1');
    const pending = ask(deps, 'eth_requestAccounts');
    const approval = await decideNext(deps);
    assert.equal(approval.kind, 'connect');
    assert.deepEqual(approval.params, { accounts: ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'], names: ['Account 1'], selected: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' });
    assert.deepEqual(result(await pending), [ACCOUNT]);
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), [ACCOUNT]);
    assert.deepEqual(result(await ask(deps, 'eth_accounts', undefined, ORIGIN_B)), [], 'another origin sees nothing');
    assert.deepEqual(deps.pushed, [{ origin: ORIGIN_A, events: [{ event: 'connect', data: { chainId: '0x1' } }, { event: 'accountsChanged', data: [ACCOUNT] }] }]);
    // Connected: no second approval.
    assert.deepEqual(result(await ask(deps, 'eth_requestAccounts')), [ACCOUNT]);
    const perms = result<{ parentCapability: string; invoker: string; caveats: { value: string[] }[] }[]>(await ask(deps, 'wallet_getPermissions'));
    assert.equal(perms[0]!.parentCapability, 'eth_accounts');
    assert.equal(perms[0]!.invoker, ORIGIN_A);
    assert.deepEqual(perms[0]!.caveats[0]!.value, [ACCOUNT]);
    assert.equal(result(await ask(deps, 'wallet_revokePermissions', [{ eth_accounts: {} }])), null);
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), []);
    assert.deepEqual(deps.pushed.at(-1), { origin: ORIGIN_A, events: [{ event: 'accountsChanged', data: [] }] });
  });

  test('rejecting the connection is 4001; wallet_requestPermissions asks', async () => {
    const deps = await withVault();
    const pending = ask(deps, 'eth_requestAccounts');
    await decideNext(deps, false);
    const declined = await pending;
    error(declined, 4001);
    // With no vault the page cannot tell: the user is asked, and declining is the same answer.
    const empty = await makeDeps();
    const asked = ask(empty, 'eth_requestAccounts');
    const approval = await decideNext(empty, false);
    assert.deepEqual(approval.params, { accounts: [] });
    assert.deepEqual({ ...(await asked), id: declined.id }, declined);
    // Approving before a vault exists connects nothing and keeps the request waiting.
    const again = ask(empty, 'eth_requestAccounts');
    await until(async () => (await empty.approvals.pending()).length > 0, 'a pending approval');
    const [waiting] = await empty.approvals.pending();
    await assert.rejects(decideApproval(empty, waiting!.id, true), (e: { code?: number }) => e.code === 4100);
    assert.equal((await empty.approvals.get(waiting!.id))?.status, 'pending');
    assert.equal(await empty.permissions.get(ORIGIN_A), undefined);
    // Once a vault exists, the same approval connects its accounts.
    await empty.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    await decideApproval(empty, waiting!.id, true);
    assert.deepEqual(result(await again), [ACCOUNT]);
    const perm = ask(deps, 'wallet_requestPermissions', [{ eth_accounts: {} }]);
    await decideNext(deps);
    assert.equal(result<unknown[]>(await perm).length, 1);
  });

  test('node methods answer 4200 saying Keyhold does not send transactions', async () => {
    const deps = await connected();
    for (const method of ['eth_sendTransaction', 'eth_call', 'eth_getBalance', 'eth_blockNumber', 'wallet_watchAsset', 'eth_signTransaction']) {
      error(await ask(deps, method, []), 4200, 'does not send transactions');
    }
    error(await ask(deps, 'eth_whatever', []), 4200, 'eth_whatever');
  });
});

describe('personal_sign', () => {
  test('refused (4100) for a site that is not connected, or an account it was not shown', async () => {
    const deps = await withVault();
    error(await ask(deps, 'personal_sign', ['0x68656c6c6f', ACCOUNT]), 4100, 'not connected');
    const c = await connected();
    error(await ask(c, 'personal_sign', ['0x68656c6c6f', '0x' + '12'.repeat(20)]), 4100);
  });

  test('signs after approval; while locked the approval waits for an unlock', async () => {
    const deps = await connected();
    await deps.vault.lock();
    const pending = ask(deps, 'personal_sign', ['0x68656c6c6f', ACCOUNT]);
    await until(async () => (await deps.approvals.pending()).length === 1, 'approval');
    const approval = (await deps.approvals.pending())[0]!;
    assert.equal(approval.kind, 'personalSign');
    if (approval.kind !== 'personalSign') return;
    assert.equal(approval.params.text, 'hello');
    assert.equal(approval.params.siwe, null);
    await assert.rejects(decideApproval(deps, approval.id, true), (e: { code?: number }) => e.code === 4100);
    assert.equal((await deps.approvals.pending()).length, 1, 'still pending');
    await deps.vault.unlock(PASSWORD);
    await decideApproval(deps, approval.id, true);
    const signature = result<`0x${string}`>(await pending);
    assert.equal(await verifyMessage({ address: ACCOUNT, message: 'hello', signature }), true);
    // A plain-text message is signed as its UTF-8 bytes.
    const p2 = ask(deps, 'personal_sign', ['héllo', ACCOUNT]);
    await decideNext(deps);
    assert.equal(await verifyMessage({ address: ACCOUNT, message: 'héllo', signature: result<`0x${string}`>(await p2) }), true);
  });

  test('SIWE: fields shown; another site\'s domain needs the second confirmation', async () => {
    const deps = await connected();
    const host = new URL(ORIGIN_A).host;
    const own = createSiweMessage({
      domain: host, address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', statement: 'Sign in to A.', uri: `${ORIGIN_A}/login`,
      version: '1', chainId: 1, nonce: 'abcdefgh1234', issuedAt: new Date('2025-01-01T00:00:00Z'), expirationTime: new Date('2025-01-02T00:00:00Z'),
    });
    const p1 = ask(deps, 'personal_sign', [own, ACCOUNT]);
    const a1 = await decideNext(deps);
    assert.ok(a1.kind === 'personalSign' && a1.params.siwe && !a1.params.siweDomainMismatch);
    if (a1.kind === 'personalSign') {
      assert.equal(a1.params.siwe!.domain, host);
      assert.equal(a1.params.siwe!.statement, 'Sign in to A.');
      assert.equal(a1.params.siwe!.nonce, 'abcdefgh1234');
      assert.equal(a1.params.siwe!.chainId, 1);
      assert.equal(a1.params.siwe!.expirationTime, '2025-01-02T00:00:00.000Z');
    }
    assert.equal(await verifyMessage({ address: ACCOUNT, message: own, signature: result<`0x${string}`>(await p1) }), true);

    const foreign = own.replace(host, 'bank.example');
    const p2 = ask(deps, 'personal_sign', [foreign, ACCOUNT]);
    await until(async () => (await deps.approvals.pending()).length === 1, 'approval');
    const a2 = (await deps.approvals.pending())[0]!;
    assert.ok(a2.kind === 'personalSign' && a2.params.siweDomainMismatch);
    await assert.rejects(decideApproval(deps, a2.id, true), (e: { code?: number; message?: string }) => e.code === -32602 && /another site/.test(e.message ?? ''));
    await decideApproval(deps, a2.id, true, { acknowledged: true });
    assert.equal(await verifyMessage({ address: ACCOUNT, message: foreign, signature: result<`0x${string}`>(await p2) }), true);
  });

  test('the SIWE parser reads viem\'s messages, with and without optional fields', () => {
    const base = { domain: 'a.example', address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', uri: 'https://a.example', version: '1', chainId: 10, nonce: 'n0ncen0nce', issuedAt: new Date(0) } as const;
    const plain = parseSiwe(createSiweMessage(base));
    assert.equal(plain?.statement, null);
    assert.equal(plain?.chainId, 10);
    const full = parseSiwe(createSiweMessage({ ...base, scheme: 'https', statement: 'Hi', notBefore: new Date(1), requestId: 'r1', resources: ['https://x.example/1', 'ipfs://y'] }));
    assert.equal(full?.scheme, 'https');
    assert.deepEqual(full?.resources, ['https://x.example/1', 'ipfs://y']);
    assert.equal(full?.requestId, 'r1');
    assert.equal(parseSiwe('hello'), null);
  });
});

describe('eth_signTypedData_v4', () => {
  const typed = {
    types: {
      EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }],
      Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }],
      Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person' }, { name: 'contents', type: 'string' }],
    },
    primaryType: 'Mail',
    domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
    message: {
      from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
      to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
      contents: 'Hello, Bob!',
    },
  } as const;

  test('signs after approval (JSON string or object); viem verifies', async () => {
    const deps = await connected();
    const p = ask(deps, 'eth_signTypedData_v4', [ACCOUNT, JSON.stringify(typed)]);
    const approval = await decideNext(deps);
    assert.equal(approval.kind, 'signTypedData');
    const signature = result<`0x${string}`>(await p);
    assert.equal(await verifyTypedData({ address: ACCOUNT, ...typed, signature } as never), true);
  });

  test('refused before the user sees it: another chain, or data that does not encode', async () => {
    const deps = await connected();
    error(await ask(deps, 'eth_signTypedData_v4', [ACCOUNT, { ...typed, domain: { ...typed.domain, chainId: 5 } }]), -32602, 'active chain');
    error(await ask(deps, 'eth_signTypedData_v4', [ACCOUNT, { ...typed, message: { ...typed.message, to: { name: 'Bob', wallet: 'nope' } } }]), -32602, 'message.to.wallet must be a 0x-prefixed 20-byte address');
    assert.equal((await deps.approvals.pending()).length, 0);
  });
});

describe('API keys', () => {
  test('keyhold_createApiKey: an origin-bound Ed25519 key, its canonical message signed by the master', async () => {
    const deps = await withVault();
    const validUntil = deps.now() + 86_400_000;
    error(await ask(deps, 'keyhold_createApiKey', [{ name: 'Arcus', validUntil: deps.now() - 1 }]), -32602, 'future');
    const p = ask(deps, 'keyhold_createApiKey', [{ name: 'Arcus', validUntil }]);
    const approval = await decideNext(deps);
    assert.equal(approval.kind, 'createApiKey');
    const key = result<{ id: string; publicKey: string; address: string; name: string; validUntil: number; signature: { r: string; s: string; v: number } }>(await p);
    assert.deepEqual(Object.keys(key).sort(), ['address', 'id', 'name', 'publicKey', 'signature', 'validUntil']);
    assert.match(key.publicKey, /^[0-9a-f]{64}$/);
    assert.equal(key.address, ACCOUNT);
    assert.equal(key.validUntil, validUntil);
    const message = apiKeyCreateMessage({ address: key.address, publicKeyHex: key.publicKey, name: 'Arcus', validUntil });
    assert.equal(message, `Keyhold API key: create\nAddress: ${ACCOUNT}\nPublic key: ${key.publicKey}\nName: Arcus\nValid until: ${validUntil}`);
    const sig = `${key.signature.r}${key.signature.s.slice(2)}${key.signature.v.toString(16)}` as `0x${string}`;
    assert.equal(await verifyMessage({ address: ACCOUNT, message, signature: sig }), true);

    // Usable through keyhold_signRequest by its id, from its origin only.
    const env = result<{ payload: string; public_key: string; signature: string }>(
      await ask(deps, 'keyhold_signRequest', [{ sessionId: key.id, requestType: 1, body: toB64(new Uint8Array([1])) }]),
    );
    assert.equal(Buffer.from(b64(env.public_key)).toString('hex'), key.publicKey);
    assert.equal(verifyEd25519(b64(env.public_key), b64(env.payload), b64(env.signature)), true);
    error(await ask(deps, 'keyhold_signRequest', [{ sessionId: key.id, requestType: 1, body: 'AQ==' }], ORIGIN_B), 4100);
  });

  test('an API key is made as a session key is: it logs session-created, then the master signature (issue 13)', async () => {
    const deps = await withVault();
    const p = ask(deps, 'keyhold_createApiKey', [{ name: 'Arcus', validUntil: deps.now() + 86_400_000 }]);
    await decideNext(deps);
    const key = result<{ id: string }>(await p);
    const session = ask(deps, 'keyhold_createSession', [{ ttlSeconds: 600 }]);
    await decideNext(deps);
    const { id: sessionId } = result<{ id: string }>(await session);
    const lines = (await deps.audit.list()).reverse().map(({ kind, origin, sessionId: id, method }) => ({ kind, origin, sessionId: id, method }));
    assert.deepEqual(lines, [
      { kind: 'session-created', origin: ORIGIN_A, sessionId: key.id, method: undefined },
      { kind: 'master-sign', origin: ORIGIN_A, sessionId: key.id, method: 'apiKey-create' },
      { kind: 'session-created', origin: ORIGIN_A, sessionId, method: undefined },
    ]);
    // Stored as an API key, bound to the account that vouched for it.
    const stored = await deps.sessions.get(key.id);
    assert.equal(stored?.record.kind, 'apiKey');
    assert.deepEqual(stored?.record.apiKey, { address: ACCOUNT, baseUrl: null });
  });

  test('apiKey_signRevoke signs the revoke message without the key, only while unlocked', async () => {
    const deps = await withVault();
    const params = { address: ACCOUNT, publicKeyHex: 'a1'.repeat(32), name: 'Arcus' };
    const out = await extensionHandlers.apiKey_signRevoke(deps, params);
    assert.equal(out.message, apiKeyRevokeMessage(params));
    assert.ok(!out.message.includes('Valid until'));
    const sig = `${out.signature.r}${out.signature.s.slice(2)}${out.signature.v.toString(16)}` as `0x${string}`;
    assert.equal(await verifyMessage({ address: ACCOUNT, message: out.message, signature: sig }), true);
    await deps.vault.lock();
    await assert.rejects(extensionHandlers.apiKey_signRevoke(deps, params), (e: { code?: number }) => e.code === 4100);
  });
});

describe('sessions that require an unlocked vault', () => {
  test('requiresUnlock: refuses while locked with "Unlock Keyhold to use this session"; default sessions sign locked', async () => {
    const deps = await withVault();
    const make = async (requiresUnlock?: boolean) => {
      const p = ask(deps, 'keyhold_createSession', [requiresUnlock === undefined ? { ttlSeconds: 600 } : { ttlSeconds: 600, requiresUnlock }]);
      await decideNext(deps);
      return result<{ id: string }>(await p).id;
    };
    const strict = await make(true);
    const relaxed = await make();
    error(await ask(deps, 'keyhold_createSession', [{ ttlSeconds: 600, requiresUnlock: 'yes' }]), -32602, 'requiresUnlock');
    const sign = (id: string) => ask(deps, 'keyhold_signRequest', [{ sessionId: id, requestType: 1, body: 'AQ==' }]);
    result(await sign(strict));
    await deps.vault.lock();
    error(await sign(strict), 4100, 'Unlock Keyhold to use this session');
    result(await sign(relaxed));
    await deps.vault.unlock(PASSWORD);
    result(await sign(strict));
  });
});
