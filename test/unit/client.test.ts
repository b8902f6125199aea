/**
 * `@keyhold/client` (packages/client) in Node: the exact page-API params each function sends,
 * the decoded bytes it answers, errors as KeyholdError, EIP-6963 discovery that never hangs,
 * and completing a pending login with an EIP-1193 wallet (a real secp256k1 signature over
 * `loginMessage`). The client against the real extension runs in test/e2e/packages.test.ts.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import {
  KeyholdError,
  completeSession,
  completeWithWallet,
  createSession,
  findKeyhold,
  listSessions,
  loginBytes,
  revokeSession,
  send,
  signRequest,
  type KeyholdProvider,
} from '../../packages/client/src/index.js';
import type { SessionInfo } from '../../src/protocol/page-api.js';
import { personalSignHash } from '../../src/wire/digests.js';

interface Call {
  method: string;
  params?: unknown;
}

/** A provider that records each call and answers from a script (the real one is in the e2e test). */
function scripted(answer: (call: Call) => unknown): { provider: KeyholdProvider; calls: Call[] } {
  const calls: Call[] = [];
  const provider = {
    isKeyhold: true as const,
    request: async (args: Call) => {
      calls.push(args);
      const out = answer(args);
      if (out instanceof Error) throw out;
      return out;
    },
    on: () => undefined,
    removeListener: () => undefined,
  } as unknown as KeyholdProvider;
  return { provider, calls };
}

const KEY = Buffer.alloc(32, 9).toString('base64');
const INFO: SessionInfo = {
  id: '01977420-f758-7abc-8000-000000000abc',
  publicKey: KEY,
  role: 'TRADING_ONLY',
  subaccountIndex: null,
  requestTypes: [1],
  label: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  validUntil: '2026-01-01T01:00:00.000Z',
};

describe('client: typed calls', () => {
  test('createSession passes the options as params[0] and decodes the public key', async () => {
    const { provider, calls } = scripted(() => INFO);
    const s = await createSession(provider, { ttlSeconds: 3600, requestTypes: [1], service: { baseUrl: 'http://127.0.0.1:1' } });
    assert.deepEqual(calls, [{ method: 'keyhold_createSession', params: [{ ttlSeconds: 3600, requestTypes: [1], service: { baseUrl: 'http://127.0.0.1:1' } }] }]);
    assert.deepEqual(s.publicKeyBytes, new Uint8Array(32).fill(9));
    assert.equal(s.publicKey, KEY);
    assert.equal(s.loginPayloadBytes, undefined);
  });

  test('signRequest sends a string body as base64 of its UTF-8 and decodes the envelope', async () => {
    const envelope = { payload: Buffer.from('pay').toString('base64'), public_key: KEY, signature: Buffer.alloc(64, 1).toString('base64') };
    const { provider, calls } = scripted(() => envelope);
    const r = await signRequest(provider, { sessionId: INFO.id, requestType: 1, body: '{"q":"é"}' });
    assert.deepEqual(calls[0]!.params, [{ sessionId: INFO.id, requestType: 1, body: Buffer.from('{"q":"é"}').toString('base64'), encoding: 'json' }]);
    assert.deepEqual(r.envelope, envelope);
    assert.deepEqual(r.payload, new TextEncoder().encode('pay'));
    assert.deepEqual(r.signature, new Uint8Array(64).fill(1));
    assert.deepEqual(r.publicKey, new Uint8Array(32).fill(9));
  });

  test('signRequest binary takes bytes (64 KiB) and decodes the frame', async () => {
    const body = Uint8Array.from({ length: 65536 }, (_, i) => i % 251);
    const { provider, calls } = scripted((c) => ({ frame: (c.params as [{ body: string }])[0].body }));
    const r = await signRequest(provider, { sessionId: INFO.id, requestType: 2, body, encoding: 'binary' });
    assert.equal((calls[0]!.params as [{ encoding: string }])[0].encoding, 'binary');
    assert.deepEqual(r.frame, body);
    assert.equal(r.base64, Buffer.from(body).toString('base64'));
  });

  test('send, listSessions, revokeSession and completeSession send the documented params', async () => {
    const { provider, calls } = scripted((c) =>
      c.method === 'keyhold_send' ? { status: 200, body: { ok: 1 } } : c.method === 'keyhold_listSessions' ? [INFO] : c.method === 'keyhold_revokeSession' ? { revoked: true } : { ...INFO, status: 'active' },
    );
    const sent = await send<{ ok: number }>(provider, { sessionId: INFO.id, path: '/api/v1/orders', requestType: 1, body: new Uint8Array([1, 2]) });
    assert.equal(sent.body.ok, 1);
    assert.equal((await listSessions(provider))[0]!.publicKeyBytes.length, 32);
    assert.deepEqual(await revokeSession(provider, INFO.id), { revoked: true });
    await completeSession(provider, INFO.id, { passkey: { credentialId: new Uint8Array([1]), authenticatorData: new Uint8Array([2]).buffer, clientDataJSON: new Uint8Array([3]), signature: new Uint8Array([4]) } });
    assert.deepEqual(calls.map((c) => [c.method, c.params]), [
      ['keyhold_send', [{ sessionId: INFO.id, path: '/api/v1/orders', requestType: 1, body: 'AQI=' }]],
      ['keyhold_listSessions', undefined],
      ['keyhold_revokeSession', [{ sessionId: INFO.id }]],
      ['keyhold_completeSession', [{ sessionId: INFO.id, passkey: { credentialId: 'AQ==', authenticatorData: 'Ag==', clientDataJSON: 'Aw==', signature: 'BA==' } }]],
    ]);
  });

  test('a provider error becomes a KeyholdError with its code, message and data', async () => {
    const { provider } = scripted(() => Object.assign(new Error('Unknown session.'), { code: 4100, data: { why: 1 } }));
    const err = await signRequest(provider, { sessionId: INFO.id, requestType: 1, body: '' }).catch((e: unknown) => e);
    assert.ok(err instanceof KeyholdError);
    assert.equal(err.code, 4100);
    assert.equal(err.message, 'Unknown session.');
    assert.deepEqual(err.data, { why: 1 });
    const plain = await listSessions(scripted(() => new TypeError('boom')).provider).catch((e: unknown) => e);
    assert.ok(plain instanceof KeyholdError);
    assert.equal(plain.code, -32603);
  });
});

describe('client: findKeyhold (EIP-6963)', () => {
  const g = globalThis as { window?: unknown };

  test('resolves the provider that announces rdns dev.keyhold, ignoring others', async () => {
    const win = new EventTarget();
    g.window = win;
    const keyhold = scripted(() => null).provider;
    win.addEventListener('eip6963:requestProvider', () => {
      win.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: { info: { rdns: 'io.other' }, provider: {} } }));
      win.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: { info: { rdns: 'dev.keyhold' }, provider: keyhold } }));
    });
    try {
      assert.equal(await findKeyhold({ timeoutMs: 5_000 }), keyhold);
    } finally {
      delete g.window;
    }
  });

  test('resolves null after timeoutMs when Keyhold is absent, and at once without a window', async () => {
    g.window = new EventTarget();
    const t0 = Date.now();
    try {
      assert.equal(await findKeyhold({ timeoutMs: 50 }), null);
    } finally {
      delete g.window;
    }
    assert.ok(Date.now() - t0 < 2_000);
    assert.equal(await findKeyhold({ timeoutMs: 60_000 }), null);
  });
});

describe('client: completeWithWallet', () => {
  const secret = secp256k1.utils.randomSecretKey();
  const payload = new TextEncoder().encode('example.com wants you to sign in with your Ethereum account:\n0xabc\n');

  function wallet(accounts: string[]) {
    const calls: Call[] = [];
    return {
      calls,
      request: async (args: Call) => {
        calls.push(args);
        if (args.method === 'eth_accounts') return accounts;
        if (args.method === 'eth_requestAccounts') return ['0xrequested'];
        const [data] = args.params as [string, string];
        const rec = secp256k1.sign(personalSignHash(Buffer.from(data.slice(2), 'hex')), secret, { prehash: false, format: 'recovered' });
        return `0x${Buffer.concat([rec.subarray(1), Buffer.of(27 + rec[0]!)]).toString('hex')}`;
      },
    };
  }

  test('signs loginMessage with personal_sign and completes the session with that signature', async () => {
    const pending = { ...INFO, status: 'pending' as const, loginPayload: Buffer.from(payload).toString('base64'), loginMessage: new TextDecoder().decode(payload) };
    const { provider, calls } = scripted(() => ({ ...INFO, status: 'active' }));
    const w = wallet(['0xaaa']);
    const done = await completeWithWallet(provider, w, { ...pending, publicKeyBytes: new Uint8Array(32) });
    assert.equal(done.status, 'active');
    assert.deepEqual(w.calls.map((c) => c.method), ['eth_accounts', 'personal_sign']);
    assert.deepEqual(w.calls[1]!.params, [`0x${Buffer.from(payload).toString('hex')}`, '0xaaa']);
    const { signature } = (calls[0]!.params as [{ signature: string }])[0];
    const sig = Buffer.from(signature.slice(2), 'hex');
    const recovered = secp256k1.recoverPublicKey(Uint8Array.from([sig[64]! - 27, ...sig.subarray(0, 64)]), personalSignHash(payload), { prehash: false });
    assert.deepEqual(recovered, secp256k1.getPublicKey(secret, true));
  });

  test('falls back to the decoded loginPayload, asks for accounts when none are connected, and leaves an active session alone', async () => {
    const pending = { ...INFO, status: 'pending' as const, loginPayload: Buffer.from(payload).toString('base64') };
    assert.deepEqual(loginBytes(pending), payload);
    const { provider, calls } = scripted(() => ({ ...INFO, status: 'active' }));
    const w = wallet([]);
    await completeWithWallet(provider, w, { ...pending, publicKeyBytes: new Uint8Array(32) });
    assert.deepEqual(w.calls.map((c) => c.method), ['eth_accounts', 'eth_requestAccounts', 'personal_sign']);
    assert.equal((w.calls[2]!.params as string[])[1], '0xrequested');
    const active = { ...INFO, status: 'active' as const, publicKeyBytes: new Uint8Array(32) };
    assert.equal(await completeWithWallet(provider, w, active), active);
    assert.equal(calls.length, 1);
    assert.throws(() => loginBytes(INFO), (e: unknown) => e instanceof KeyholdError && e.code === -32602);
  });

  test('the account the login message names signs it, without asking the wallet for accounts', async () => {
    const named = '0x6370eF2f4Db3611D657b90667De398a2Cc2a370C';
    const text = `https://dapp.example wants you to sign in with your Ethereum account:\n${named}\n\nAllow…`;
    const pending = { ...INFO, status: 'pending' as const, loginPayload: Buffer.from(text).toString('base64'), loginMessage: text, publicKeyBytes: new Uint8Array(32) };
    const w = wallet(['0xother']);
    await completeWithWallet(scripted(() => ({ ...INFO, status: 'active' })).provider, w, pending);
    assert.deepEqual(w.calls.map((c) => c.method), ['personal_sign']);
    assert.equal((w.calls[0]!.params as string[])[1], named);
  });

  test("a wallet's refusal keeps its code (4001)", async () => {
    const refusing = { request: async () => Promise.reject(Object.assign(new Error('User rejected.'), { code: 4001 })) };
    const pending = { ...INFO, status: 'pending' as const, loginPayload: 'AA==', publicKeyBytes: new Uint8Array(32) };
    const err = await completeWithWallet(scripted(() => INFO).provider, refusing, pending, { account: '0xa' }).catch((e: unknown) => e);
    assert.ok(err instanceof KeyholdError && err.code === 4001);
  });
});
