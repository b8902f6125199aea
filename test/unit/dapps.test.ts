/**
 * The wallet as real dapps call it (issue 18 §1), through the worker's request path: web3.js's
 * personal_sign password, personal_ecRecover, typed data with undeclared fields (signed as
 * EIP-712 hashes them, the rest shown as not signed), malformed typed data in Keyhold's words,
 * a SIWE message for another account, unsupported signing methods, eth_accounts while locked
 * and accountsChanged on lock and unlock, chain switching and adding, and what ethers v6 and
 * viem make of Keyhold's errors. Signatures are checked with viem, which Keyhold does not use.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserProvider, isError } from 'ethers';
import { createWalletClient, custom, hashTypedData, recoverMessageAddress, verifyMessage, verifyTypedData } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { mainnet } from 'viem/chains';
import { createSiweMessage } from 'viem/siwe';
import { decideApproval } from '../../background/approvals/decide.js';
import { answer } from '../../background/router/page-port.js';
import type { PageEvent } from '../../src/protocol/envelope.js';
import { ORIGIN_A, ORIGIN_B, until, type TestDeps } from './fakes.js';
import { ACCOUNT, PASSWORD, ask, connected, decideNext, error, result, withVault } from './wallet-helpers.js';

const HARDHAT_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

const eventsOf = (deps: TestDeps, origin: string): PageEvent[] =>
  deps.pushed.filter((p) => p.origin === origin || p.origin === null).flatMap((p) => p.events);

/** An EIP-1193 provider over the worker's request path, as a page's provider would be. */
function eip1193(deps: TestDeps, origin = ORIGIN_A) {
  let id = 0;
  return {
    async request({ method, params }: { method: string; params?: unknown }) {
      const r = await answer(deps, origin, params === undefined ? { id: `e${++id}`, method } : { id: `e${++id}`, method, params });
      if ('error' in r) throw Object.assign(new Error(r.error.message), r.error);
      return r.result;
    },
    on() {},
    removeListener() {},
  };
}

describe('personal_sign and personal_ecRecover', () => {
  test("web3.js's third param (a password) is accepted and ignored: never shown, stored or answered", async () => {
    const deps = await connected();
    const p = ask(deps, 'personal_sign', ['0x4578616d706c652060706572736f6e616c5f7369676e60206d657373616765', ACCOUNT, 'Example password']);
    const approval = await decideNext(deps);
    assert.ok(!JSON.stringify(approval).includes('Example password'), 'the password is not in the approval');
    const signature = result<`0x${string}`>(await p);
    assert.equal(await verifyMessage({ address: ACCOUNT, message: 'Example `personal_sign` message', signature }), true);
    assert.ok(!JSON.stringify(await deps.approvals.pending()).includes('Example password'));
  });

  test('personal_ecRecover answers the signer of text or hex, v 27|28 or 0|1, with no node and no approval', async () => {
    const deps = await withVault(); // not even connected: it is arithmetic on the page's inputs
    const account = privateKeyToAccount(HARDHAT_KEY);
    const signature = await account.signMessage({ message: 'hello' });
    assert.equal(result(await ask(deps, 'personal_ecRecover', ['hello', signature])), ACCOUNT);
    assert.equal(result(await ask(deps, 'personal_ecRecover', ['0x68656c6c6f', signature])), ACCOUNT);
    const v = parseInt(signature.slice(-2), 16);
    const zeroOne = `${signature.slice(0, -2)}0${v - 27}`;
    assert.equal(result(await ask(deps, 'personal_ecRecover', ['hello', zeroOne])), ACCOUNT);
    // Another message recovers another address (never the signer's).
    const other = result<string>(await ask(deps, 'personal_ecRecover', ['hellO', signature]));
    assert.equal(other, (await recoverMessageAddress({ message: 'hellO', signature })).toLowerCase());
    assert.notEqual(other, ACCOUNT);
    error(await ask(deps, 'personal_ecRecover', ['hello', `${signature.slice(0, -2)}1d`]), -32602, 'v must be');
    error(await ask(deps, 'personal_ecRecover', ['hello', `0x${'ff'.repeat(64)}1b`]), -32602, 'does not recover');
    assert.equal((await deps.approvals.pending()).length, 0);
  });
});

describe('eth_signTypedData_v4: what EIP-712 hashes, and nothing else', () => {
  // Shaped like Uniswap's PermitBatch sent with extra, untyped fields.
  const permit = {
    types: {
      EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }],
      PermitDetails: [{ name: 'token', type: 'address' }, { name: 'amount', type: 'uint160' }, { name: 'expiration', type: 'uint48' }, { name: 'nonce', type: 'uint48' }],
      PermitBatch: [{ name: 'details', type: 'PermitDetails[]' }, { name: 'spender', type: 'address' }, { name: 'sigDeadline', type: 'uint256' }],
    },
    primaryType: 'PermitBatch',
    domain: { name: 'Permit2', chainId: 1, verifyingContract: '0x000000000022D473030F116dDEE9F6B43aC78BA3' },
    message: {
      details: [
        { token: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', amount: '1461501637330902918203684832716283019655932542975', expiration: 1_900_000_000, nonce: 0, note: 'untyped detail' },
      ],
      spender: '0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD',
      sigDeadline: '1900000000',
      extraData: 'extra data not typed',
    },
  };

  test('undeclared fields are left out of the signature and listed as not signed; viem verifies the page\'s own data', async () => {
    const deps = await connected();
    const p = ask(deps, 'eth_signTypedData_v4', [ACCOUNT, JSON.stringify(permit)]);
    await until(async () => (await deps.approvals.pending()).length === 1, 'approval');
    const approval = (await deps.approvals.pending())[0]!;
    assert.equal(approval.kind, 'signTypedData');
    if (approval.kind !== 'signTypedData') return;
    assert.deepEqual(approval.params.unsigned, [
      { path: 'message.details[0].note', value: '"untyped detail"' },
      { path: 'message.extraData', value: '"extra data not typed"' },
    ]);
    // What the window shows as signed has no undeclared field.
    assert.equal(JSON.stringify(approval.params.typedData).includes('untyped'), false);
    await decideApproval(deps, approval.id, true);
    const signature = result<`0x${string}`>(await p);
    // viem hashes the page's data, extras and all, as EIP-712 says: declared fields only.
    assert.equal(await verifyTypedData({ address: ACCOUNT, ...permit, signature } as never), true);
    const account = privateKeyToAccount(HARDHAT_KEY);
    assert.equal(signature, await account.signTypedData(permit as never));
    assert.equal(hashTypedData(permit as never).length, 66);
  });

  test('typed data with no undeclared field carries no "not signed" list', async () => {
    const deps = await connected();
    const clean = { ...permit, message: { ...permit.message, details: [{ ...permit.message.details[0]!, note: undefined }], extraData: undefined } };
    const p = ask(deps, 'eth_signTypedData_v4', [ACCOUNT, JSON.parse(JSON.stringify(clean))]);
    const approval = await decideNext(deps);
    assert.equal(approval.kind === 'signTypedData' && approval.params.unsigned, undefined);
    assert.equal(await verifyTypedData({ address: ACCOUNT, ...permit, signature: result<`0x${string}`>(await p) } as never), true);
  });

  test('malformed typed data is refused in Keyhold\'s words, naming the path, before the user is asked', async () => {
    const deps = await connected();
    const bad: [string, unknown, string][] = [
      ['a missing value', { ...permit, message: { ...permit.message, spender: undefined } }, 'message.spender is missing (declared as address)'],
      ['an address that is a number', { ...permit, message: { ...permit.message, spender: 5 } }, 'message.spender must be a 0x-prefixed 20-byte address'],
      ['a list that is an object', { ...permit, message: { ...permit.message, details: {} } }, 'message.details must be a list'],
      ['a struct that is a string', { ...permit, message: { ...permit.message, details: ['x'] } }, 'message.details[0] must be an object (PermitDetails)'],
      ['an amount out of range', { ...permit, message: { ...permit.message, details: [{ ...permit.message.details[0], amount: (1n << 160n).toString() }] } }, 'message.details[0].amount is out of range for uint160'],
      ['an amount that is a float', { ...permit, message: { ...permit.message, details: [{ ...permit.message.details[0], amount: 1.5 }] } }, 'message.details[0].amount must be a whole number'],
      ['a bool that is a string', { types: { ...permit.types, B: [{ name: 'ok', type: 'bool' }] }, primaryType: 'B', domain: permit.domain, message: { ok: 'yes' } }, 'message.ok must be true or false'],
      ['bytes32 too short', { types: { ...permit.types, B: [{ name: 'h', type: 'bytes32' }] }, primaryType: 'B', domain: permit.domain, message: { h: '0x1234' } }, 'message.h must be bytes32: exactly 32 bytes'],
      ['an undeclared type', { types: { ...permit.types, B: [{ name: 'x', type: 'Nope' }] }, primaryType: 'B', domain: permit.domain, message: { x: 1 } }, 'is neither an EIP-712 type nor a type declared'],
      ['uint7', { types: { ...permit.types, B: [{ name: 'x', type: 'uint7' }] }, primaryType: 'B', domain: permit.domain, message: { x: 1 } }, 'is not an integer type'],
      ['a field declared twice', { types: { ...permit.types, B: [{ name: 'x', type: 'uint8' }, { name: 'x', type: 'uint8' }] }, primaryType: 'B', domain: permit.domain, message: { x: 1 } }, 'declares the field "x" twice'],
      ['a fixed list of the wrong length', { types: { ...permit.types, B: [{ name: 'x', type: 'uint8[2]' }] }, primaryType: 'B', domain: permit.domain, message: { x: [1] } }, 'message.x must hold exactly 2 items'],
      ['a domain value of the wrong type', { ...permit, domain: { ...permit.domain, verifyingContract: 7 } }, 'domain.verifyingContract must be a 0x-prefixed 20-byte address'],
    ];
    for (const [what, typed, words] of bad) {
      const message = error(await ask(deps, 'eth_signTypedData_v4', [ACCOUNT, JSON.parse(JSON.stringify(typed))]), -32602, words);
      assert.doesNotMatch(message, /Uint8Array|Writer|startsWith|TypeError|undefined|parseType|mapComponent/, what);
    }
    assert.equal((await deps.approvals.pending()).length, 0);
  });
});

describe('a SIWE message naming another account', () => {
  const siwe = (address: string) =>
    createSiweMessage({ domain: 'a.example', address: address as `0x${string}`, uri: 'https://a.example', version: '1', chainId: 1, nonce: 'abcdefgh12', issuedAt: new Date(Date.UTC(2025, 0, 1)) });

  test('is flagged, and approving needs the deliberate second confirmation (enforced in the worker)', async () => {
    const deps = await connected();
    const p = ask(deps, 'personal_sign', [siwe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8'), ACCOUNT]);
    await until(async () => (await deps.approvals.pending()).length === 1, 'approval');
    const approval = (await deps.approvals.pending())[0]!;
    assert.ok(approval.kind === 'personalSign' && approval.params.siweAddressMismatch === true && !approval.params.siweDomainMismatch);
    await assert.rejects(decideApproval(deps, approval.id, true), (e: { code?: number; message?: string }) => e.code === -32602 && /another account/.test(e.message!));
    assert.equal((await deps.approvals.pending()).length, 1, 'still pending');
    await decideApproval(deps, approval.id, true, { acknowledged: true });
    assert.match(result<string>(await p), /^0x[0-9a-f]{130}$/);
  });

  test('its own account (any case) is not flagged', async () => {
    const deps = await connected();
    const p = ask(deps, 'personal_sign', [siwe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'), ACCOUNT]);
    const approval = await decideNext(deps);
    assert.ok(approval.kind === 'personalSign' && approval.params.siweAddressMismatch === false);
    result(await p);
  });
});

describe('methods Keyhold does not offer', () => {
  test('eth_sign, eth_signTypedData (v1) and _v3 are refused with 4200 saying they are not supported', async () => {
    const deps = await connected();
    for (const method of ['eth_signTypedData', 'eth_signTypedData_v1', 'eth_signTypedData_v3', 'eth_sign']) {
      const message = error(await ask(deps, method, [ACCOUNT, '{}']), 4200, 'not supported by Keyhold');
      assert.doesNotMatch(message, /node/, method);
    }
  });

  test('ethers v6 reports an unsupported method as UNSUPPORTED_OPERATION, not UNKNOWN_ERROR "could not coalesce error"', async () => {
    const deps = await connected();
    const provider = new BrowserProvider(eip1193(deps));
    for (const [method, params] of [['eth_signTypedData_v3', [ACCOUNT, '{}']], ['eth_getBalance', [ACCOUNT, 'latest']], ['keyhold_nope', []]] as const) {
      await assert.rejects(provider.send(method, [...params]), (e: unknown) => {
        assert.ok(isError(e, 'UNSUPPORTED_OPERATION'), `${method}: ${(e as Error).message}`);
        assert.equal((e as { operation?: string }).operation, method);
        return true;
      });
    }
    // And a rejection is ACTION_REJECTED (ethers goes by 4001).
    const signer = await provider.getSigner(ACCOUNT);
    const sig = signer.signMessage('no');
    await decideNext(deps, false);
    await assert.rejects(sig, (e: unknown) => isError(e, 'ACTION_REJECTED'));
  });

  test('viem reports it as UnsupportedProviderMethodError (4200)', async () => {
    const deps = await connected();
    const client = createWalletClient({ chain: mainnet, transport: custom(eip1193(deps)) });
    await assert.rejects(client.request({ method: 'eth_signTypedData_v3' as 'eth_chainId' }), (e: { code?: number; name?: string }) => e.code === 4200 && e.name === 'UnsupportedProviderMethodError');
  });
});

describe('eth_accounts while locked, and accountsChanged on lock and unlock', () => {
  test('[] while locked; each connected site hears [] on lock and its accounts on unlock; permission kept', async () => {
    const deps = await connected();
    const other = ask(deps, 'eth_requestAccounts', undefined, ORIGIN_B);
    await decideNext(deps);
    result(await other);
    deps.pushed.length = 0;
    await deps.vault.lock();
    await until(() => eventsOf(deps, ORIGIN_B).length > 0 && eventsOf(deps, ORIGIN_A).length > 0, 'lock events');
    assert.deepEqual(eventsOf(deps, ORIGIN_A), [{ event: 'accountsChanged', data: [] }]);
    assert.deepEqual(eventsOf(deps, ORIGIN_B), [{ event: 'accountsChanged', data: [] }]);
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), []);
    // The site is still connected: its permission stands, and signing asks to unlock.
    assert.equal(result<unknown[]>(await ask(deps, 'wallet_getPermissions')).length, 1);
    deps.pushed.length = 0;
    await deps.vault.unlock(PASSWORD);
    await until(() => eventsOf(deps, ORIGIN_A).length > 0, 'unlock events');
    assert.deepEqual(eventsOf(deps, ORIGIN_A), [{ event: 'accountsChanged', data: [ACCOUNT] }]);
    assert.deepEqual(result(await ask(deps, 'eth_accounts')), [ACCOUNT]);
    // A site never connected hears nothing and sees nothing either way.
    assert.equal(deps.pushed.some((p) => p.origin === 'https://c.example'), false);
    assert.deepEqual(result(await ask(deps, 'eth_accounts', undefined, 'https://c.example')), []);
  });

  test('locking twice announces once', async () => {
    const deps = await connected();
    deps.pushed.length = 0;
    await deps.vault.lock();
    await deps.vault.lock();
    await until(() => eventsOf(deps, ORIGIN_A).length > 0, 'lock event');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(eventsOf(deps, ORIGIN_A).length, 1);
  });
});

describe('wallet_switchEthereumChain and wallet_addEthereumChain', () => {
  test('a known chain: the user approves, eth_chainId follows, every page hears chainChanged; EIP-712 domains follow', async () => {
    const deps = await connected();
    assert.equal(result(await ask(deps, 'wallet_switchEthereumChain', [{ chainId: '0x1' }])), null, 'the active chain: no window');
    assert.equal((await deps.approvals.pending()).length, 0);
    deps.pushed.length = 0;
    const p = ask(deps, 'wallet_switchEthereumChain', [{ chainId: '0x2105' }]);
    await until(async () => (await deps.approvals.pending()).length === 1, 'approval');
    const approval = (await deps.approvals.pending())[0]!;
    assert.ok(approval.kind === 'switchChain');
    if (approval.kind !== 'switchChain') return;
    assert.deepEqual(approval.params, { from: { chainId: '0x1', name: 'Ethereum' }, to: { chainId: '0x2105', name: 'Base' }, add: null });
    await decideApproval(deps, approval.id, true);
    assert.equal(result(await p), null);
    assert.equal(result(await ask(deps, 'eth_chainId')), '0x2105');
    assert.deepEqual(deps.pushed, [{ origin: null, events: [{ event: 'chainChanged', data: '0x2105' }] }]);
    const typed = { types: { EIP712Domain: [{ name: 'chainId', type: 'uint256' }], M: [{ name: 'a', type: 'uint8' }] }, primaryType: 'M', domain: { chainId: 1 }, message: { a: 1 } };
    error(await ask(deps, 'eth_signTypedData_v4', [ACCOUNT, typed]), -32602, 'active chain is 8453');
  });

  test('rejected: 4001 and nothing changes', async () => {
    const deps = await connected();
    const p = ask(deps, 'wallet_switchEthereumChain', [{ chainId: '0x89' }]);
    await decideNext(deps, false);
    error(await p, 4001);
    assert.equal(result(await ask(deps, 'eth_chainId')), '0x1');
    assert.equal(deps.pushed.some((e) => e.events.some((x) => x.event === 'chainChanged')), false);
  });

  test('a chain never added: 4902; added with the user\'s approval it becomes active and switchable', async () => {
    const deps = await connected();
    error(await ask(deps, 'wallet_switchEthereumChain', [{ chainId: '0x539' }]), 4902, 'wallet_addEthereumChain');
    assert.equal((await deps.approvals.pending()).length, 0);
    const add = { chainId: '0x539', chainName: 'Localnet', rpcUrls: ['http://127.0.0.1:8545'], nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, iconUrls: [] };
    const p = ask(deps, 'wallet_addEthereumChain', [add]);
    await until(async () => (await deps.approvals.pending()).length === 1, 'approval');
    const approval = (await deps.approvals.pending())[0]!;
    assert.ok(approval.kind === 'switchChain' && approval.params.add !== null && approval.params.to.name === 'Localnet');
    await decideApproval(deps, approval.id, true);
    assert.equal(result(await p), null);
    assert.equal(result(await ask(deps, 'eth_chainId')), '0x539');
    // Back to mainnet, then to the added chain by switching alone: no 4902 now.
    const back = ask(deps, 'wallet_switchEthereumChain', [{ chainId: '0x1' }]);
    await decideNext(deps);
    result(await back);
    const again = ask(deps, 'wallet_switchEthereumChain', [{ chainId: '0x539' }]);
    const a2 = await decideNext(deps);
    assert.ok(a2.kind === 'switchChain' && a2.params.to.name === 'Localnet' && a2.params.add === null);
    result(await again);
    assert.equal(result(await ask(deps, 'eth_chainId')), '0x539');
  });

  test('adding a chain Keyhold knows only switches to it, under Keyhold\'s name for it', async () => {
    const deps = await connected();
    const p = ask(deps, 'wallet_addEthereumChain', [{ chainId: '0x89', chainName: 'Totally Ethereum', rpcUrls: ['https://rpc.example'] }]);
    const approval = await decideNext(deps);
    assert.ok(approval.kind === 'switchChain' && approval.params.to.name === 'Polygon' && approval.params.add === null);
    result(await p);
    assert.equal(result(await ask(deps, 'eth_chainId')), '0x89');
  });

  test('viem switchChain and addChain over the worker path', async () => {
    const deps = await connected();
    const client = createWalletClient({ chain: mainnet, transport: custom(eip1193(deps)) });
    const sw = client.switchChain({ id: 10 });
    await decideNext(deps);
    await sw;
    assert.equal(await client.getChainId(), 10);
    await assert.rejects(client.switchChain({ id: 31337 }), (e: { code?: number }) => e.code === 4902);
  });
});

describe('an API key made for a service is revoked there too', () => {
  const SERVICE = 'http://127.0.0.1:4000';
  async function apiKey(deps: TestDeps) {
    const p = ask(deps, 'keyhold_createApiKey', [{ name: 'Arcus', validUntil: deps.now() + 86_400_000, service: { baseUrl: `${SERVICE}/` } }]);
    const approval = await decideNext(deps);
    assert.ok(approval.kind === 'createApiKey' && approval.params.service?.baseUrl === SERVICE);
    return result<{ id: string; publicKey: string; name: string }>(await p);
  }
  const listed = async (deps: TestDeps) => (await deps.sessions.listByOrigin(ORIGIN_A, deps.now())).map((s) => s.id);

  test('revoking signs the canonical revoke message with the master and posts it without the key; the key goes once the service confirms', async () => {
    const deps = await withVault();
    const key = await apiKey(deps);
    deps.fakeHttp.respond = () => ({ status: 200, body: { api_key: key.publicKey } });
    assert.deepEqual(result(await ask(deps, 'keyhold_revokeSession', [{ sessionId: key.id }])), { revoked: true, service: 'revoked' });
    const call = deps.fakeHttp.calls.find((c) => c.url === `${SERVICE}/api/v1/revokeApiKey`)!;
    assert.deepEqual(call.headers, {}, 'no X-API-Key, no device key');
    const body = call.json as { address: string; publicKey: string; name: string; signature: { r: string; s: string; v: number } };
    assert.deepEqual(Object.keys(body).sort(), ['address', 'name', 'publicKey', 'signature']);
    assert.equal(body.publicKey, key.publicKey);
    const message = `Keyhold API key: revoke\nAddress: ${ACCOUNT}\nPublic key: ${key.publicKey}\nName: Arcus`;
    const sig = `${body.signature.r}${body.signature.s.slice(2)}${body.signature.v.toString(16)}` as `0x${string}`;
    assert.equal((await recoverMessageAddress({ message, signature: sig })).toLowerCase(), ACCOUNT);
    assert.deepEqual(await listed(deps), []);
  });

  test('nothing changes when the service refuses or is down, or the vault is locked; a key the service never had is deleted', async () => {
    const deps = await withVault();
    const key = await apiKey(deps);
    deps.fakeHttp.respond = () => ({ status: 401, body: { error: { code: 'signature_mismatch', message: 'x' } } });
    error(await ask(deps, 'keyhold_revokeSession', [{ sessionId: key.id }]), -32603, 'signature_mismatch');
    assert.deepEqual(await listed(deps), [key.id]);
    await deps.vault.lock();
    const calls = deps.fakeHttp.calls.length;
    error(await ask(deps, 'keyhold_revokeSession', [{ sessionId: key.id }]), 4100, 'locked');
    assert.equal(deps.fakeHttp.calls.length, calls, 'nothing posted while locked');
    assert.deepEqual(await listed(deps), [key.id]);
    await deps.vault.unlock(PASSWORD);
    deps.fakeHttp.respond = () => ({ status: 404, body: { error: { code: 'api_key_not_found', message: 'x' } } });
    result(await ask(deps, 'keyhold_revokeSession', [{ sessionId: key.id }]));
    assert.deepEqual(await listed(deps), []);
  });

  test('an API key made without a service is deleted here alone, with no call', async () => {
    const deps = await withVault();
    const p = ask(deps, 'keyhold_createApiKey', [{ name: 'Local', validUntil: deps.now() + 86_400_000 }]);
    await decideNext(deps);
    const key = result<{ id: string }>(await p);
    assert.deepEqual(result(await ask(deps, 'keyhold_revokeSession', [{ sessionId: key.id }])), { revoked: true });
    assert.equal(deps.fakeHttp.calls.length, 0);
  });
});
