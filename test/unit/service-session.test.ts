/**
 * Service sessions inside the worker: login payload, completion with the page's own master,
 * signed sends with the device key, and revocation with its retry queue. The service is
 * scripted (FakeHttp); the real reference service is exercised end to end in
 * test/e2e/service.test.ts.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { decideApproval } from '../../background/approvals/decide.js';
import { servePagePort } from '../../background/router/page-port.js';
import { retryDelay, MAX_RETRY_MS } from '../../background/services/revocations.js';
import type { PageResponse } from '../../src/protocol/envelope.js';
import type { JsonEnvelope, SessionInfo } from '../../src/protocol/page-api.js';
import { addr } from 'micro-eth-signer';
import { parseSiweMessage } from 'viem/siwe';
import { didKey, recognizeLogin } from '../../src/wire/login-message.js';
import { RequestType } from '../../src/wire/bodies.js';
import { personalSignHash } from '../../src/wire/digests.js';
import { SignatureType, decodePayload } from '../../src/wire/payload.js';
import { uuidToString } from '../../src/wire/uuidv7.js';
import { FakeWorkerPort, ORIGIN_A, ORIGIN_B, b64, makeDeps, toB64, until, verifyEd25519, type TestDeps } from './fakes.js';

const BASE = 'http://127.0.0.1:8787';
const MASTER = secp256k1.utils.randomSecretKey();
const MASTER_ADDRESS = addr.fromPrivateKey(MASTER);
const DEVICE_KEY = toB64(new Uint8Array(32).fill(7));

let nextId = 0;
async function ask(deps: TestDeps, port: FakeWorkerPort, method: string, params?: unknown): Promise<PageResponse> {
  const id = `t.${nextId++}`;
  port.send({ requests: [{ id, method, params }] });
  await until(() => port.posted.some((m) => m.responses.some((r) => r.id === id)), method);
  return port.posted.flatMap((m) => m.responses).find((r) => r.id === id)!;
}
const result = <T>(r: PageResponse): T => {
  assert.ok('result' in r, `expected a result, got ${JSON.stringify(r)}`);
  return r.result as T;
};
const error = (r: PageResponse) => {
  assert.ok('error' in r, `expected an error, got ${JSON.stringify(r)}`);
  return r.error;
};

/** personal_sign of the payload bytes, as a wallet answers it: 0x r‖s‖v with v 27|28. */
function personalSign(payload: Uint8Array): string {
  const rec = secp256k1.sign(personalSignHash(payload), MASTER, { prehash: false, format: 'recovered' });
  return `0x${Buffer.concat([rec.subarray(1), Buffer.of(27 + rec[0]!)]).toString('hex')}`;
}

/** A service that accepts logins and logouts and records orders. */
function acceptingService(deps: TestDeps): void {
  deps.fakeHttp.respond = (url, json) => {
    if (url.endsWith('/api/v1/login')) {
      const id = /\nRequest ID: (\S+)\n/.exec(Buffer.from((json as JsonEnvelope).payload, 'base64').toString())![1];
      return { status: 200, body: { device_key: DEVICE_KEY, session: { id } } };
    }
    if (url.endsWith('/api/v1/logout')) return { status: 200, body: { session_revoked: true, device_key_deleted: true } };
    return { status: 200, body: { accepted: true } };
  };
}

async function pendingSession(deps: TestDeps, port: FakeWorkerPort, origin = ORIGIN_A): Promise<SessionInfo> {
  const id = `c.${nextId++}`;
  port.send({ requests: [{ id, method: 'keyhold_createSession', params: [{ ttlSeconds: 3600, role: 'TRADING_ONLY', subaccountIndex: 2, service: { baseUrl: BASE, address: MASTER_ADDRESS } }] }] });
  await until(async () => (await deps.approvals.pending()).some((a) => a.origin === origin), 'approval');
  const approval = (await deps.approvals.pending()).find((a) => a.origin === origin)!;
  // The site (a.example) is not the service's party (127.0.0.1): the second confirmation is needed.
  await decideApproval(deps, approval.id, true, { acknowledged: true });
  await until(() => port.posted.some((m) => m.responses.some((r) => r.id === id)), 'session');
  return result<SessionInfo>(port.posted.flatMap((m) => m.responses).find((r) => r.id === id)!);
}

async function activeSession(deps: TestDeps, port: FakeWorkerPort): Promise<SessionInfo> {
  acceptingService(deps);
  const pending = await pendingSession(deps, port);
  return result<SessionInfo>(await ask(deps, port, 'keyhold_completeSession', [{ sessionId: pending.id, signature: personalSign(b64(pending.loginPayload!)) }]));
}

function serve(deps: TestDeps, origin = ORIGIN_A): FakeWorkerPort {
  const port = new FakeWorkerPort();
  servePagePort(port, origin, Promise.resolve(deps));
  return port;
}

describe('creating a service session', () => {
  test('answers pending with a bound login message (loginPayload = its bytes, loginMessage = its text) for a secp256k1 master', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await pendingSession(deps, port);
    assert.equal(s.status, 'pending');
    assert.deepEqual(s.service, { baseUrl: BASE });
    assert.equal(Buffer.from(s.loginPayload!, 'base64').toString('utf8'), s.loginMessage);
    const m = parseSiweMessage(s.loginMessage!);
    assert.equal(`${m.scheme}://${m.domain}`, ORIGIN_A, 'the SIWE domain is the requesting site');
    assert.equal(m.address, MASTER_ADDRESS);
    assert.equal(m.requestId, s.id);
    assert.equal(m.uri, didKey(b64(s.publicKey)));
    assert.equal(m.expirationTime!.getTime() - m.issuedAt!.getTime(), 60_000);
    assert.deepEqual(recognizeLogin(s.loginMessage!), { site: ORIGIN_A, audience: BASE }, 'the ReCap names the service as audience');
    assert.match(s.loginMessage!, /trading only, subaccount 2, any request type, until /);
    assert.equal(deps.fakeHttp.calls.length, 0, 'nothing is sent before the master signs');
  });

  test('without the second confirmation, a session at another party\'s service is refused and nothing is made', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    port.send({ requests: [{ id: 'x1', method: 'keyhold_createSession', params: [{ ttlSeconds: 600, service: { baseUrl: BASE, address: MASTER_ADDRESS } }] }] });
    await until(async () => (await deps.approvals.pending()).length === 1, 'approval');
    const approval = (await deps.approvals.pending())[0]!;
    assert.equal(approval.kind === 'createSession' && approval.params.login?.crossSite, true);
    await assert.rejects(decideApproval(deps, approval.id, true), /second confirmation/);
    assert.equal((await deps.db.getAll('sessions')).length, 0);
  });

  test('a pending session does not sign yet', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await pendingSession(deps, port);
    const e = error(await ask(deps, port, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: '' }]));
    assert.equal(e.code, 4100);
    assert.match(e.message, /keyhold_completeSession/);
  });
});

describe('keyhold_completeSession', () => {
  test('posts the login with the recovered master key, keeps the device key, answers active', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await activeSession(deps, port);
    assert.equal(s.status, 'active');
    assert.equal(s.loginPayload, undefined);
    const login = deps.fakeHttp.calls.find((c) => c.url === `${BASE}/api/v1/login`)!;
    const env = login.json as JsonEnvelope;
    assert.equal(env.public_key, toB64(secp256k1.getPublicKey(MASTER, true)), 'the compressed master key');
    assert.equal(b64(env.signature).length, 65);
    assert.ok([27, 28].includes(b64(env.signature)[64]!));
    assert.equal(login.headers['X-DEVICE-KEY'], undefined, 'login carries no device key');
    const stored = await deps.db.get('sessions', s.id);
    assert.equal(toB64(stored!.service!.deviceKey!), DEVICE_KEY);
    // Active: it signs now.
    result(await ask(deps, port, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: '' }]));
  });

  test('a refused login (401) is 4100 and the session stays pending', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await pendingSession(deps, port);
    deps.fakeHttp.respond = () => ({ status: 401, body: { error: { code: 'expired_auth_window', message: 'auth window expired' } } });
    const e = error(await ask(deps, port, 'keyhold_completeSession', [{ sessionId: s.id, signature: personalSign(b64(s.loginPayload!)) }]));
    assert.equal(e.code, 4100);
    assert.match(e.message, /auth window expired/);
    assert.equal((await deps.db.get('sessions', s.id))!.service!.status, 'pending');
  });

  const broken: Array<[string, () => { status: number; body: unknown } | never]> = [
    ['no device_key', () => ({ status: 200, body: { session: {} } })],
    ['device_key not base64', () => ({ status: 200, body: { device_key: 'not base64!', session: {} } })],
    ['an answer naming another session', () => ({ status: 200, body: { device_key: DEVICE_KEY, session: { id: '01a216ad-2082-7b64-ae2a-3afd2b53fb21' } } })],
    ['a text answer', () => ({ status: 200, body: 'OK' })],
    ['a 500', () => ({ status: 500, body: 'boom' })],
  ];
  for (const [what, answer] of broken) {
    test(`a broken service (${what}) is -32603 and changes nothing`, async () => {
      const deps = await makeDeps();
      const port = serve(deps);
      const s = await pendingSession(deps, port);
      deps.fakeHttp.respond = answer;
      const e = error(await ask(deps, port, 'keyhold_completeSession', [{ sessionId: s.id, signature: personalSign(b64(s.loginPayload!)) }]));
      assert.equal(e.code, -32603);
      const stored = (await deps.db.get('sessions', s.id))!;
      assert.equal(stored.service!.status, 'pending');
      assert.equal(stored.service!.deviceKey, null);
    });
  }

  test('an unreachable service is -32603 naming the service', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await pendingSession(deps, port);
    const { ServiceUnreachable } = await import('../../background/services/http.js');
    deps.fakeHttp.respond = () => {
      throw new ServiceUnreachable('network');
    };
    const e = error(await ask(deps, port, 'keyhold_completeSession', [{ sessionId: s.id, signature: personalSign(b64(s.loginPayload!)) }]));
    assert.equal(e.code, -32603);
    assert.match(e.message, /127\.0\.0\.1:8787 did not answer/);
  });

  test('a passkey proof for a secp256k1 payload is -32602; another origin gets 4100', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await pendingSession(deps, port);
    const passkey = { credentialId: 'AQID', authenticatorData: 'AQID', clientDataJSON: 'e30=', signature: 'MEQ=' };
    assert.equal(error(await ask(deps, port, 'keyhold_completeSession', [{ sessionId: s.id, passkey }])).code, -32602);
    const other = serve(deps, ORIGIN_B);
    assert.equal(error(await ask(deps, other, 'keyhold_completeSession', [{ sessionId: s.id, signature: personalSign(b64(s.loginPayload!)) }])).code, 4100);
  });
});

describe('keyhold_send', () => {
  test('signs, posts to the service with X-DEVICE-KEY, and answers the service status and body', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await activeSession(deps, port);
    const body = toB64(Buffer.from('{"side":"buy","qty":1}'));
    const r = result<{ status: number; body: unknown }>(await ask(deps, port, 'keyhold_send', [{ sessionId: s.id, path: '/api/v1/orders', requestType: 1, body }]));
    assert.deepEqual(r, { status: 200, body: { accepted: true } });
    const call = deps.fakeHttp.calls.at(-1)!;
    assert.equal(call.url, `${BASE}/api/v1/orders`);
    assert.equal(call.headers['X-DEVICE-KEY'], DEVICE_KEY);
    const env = call.json as JsonEnvelope;
    assert.ok(verifyEd25519(b64(s.publicKey), b64(env.payload), b64(env.signature)));
    assert.equal(toB64(decodePayload(b64(env.payload)).body), body);
    // The device key never reaches the page.
    assert.ok(!JSON.stringify(port.posted).includes(DEVICE_KEY));
  });

  test('a service error status is the answer, not an exception', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await activeSession(deps, port);
    deps.fakeHttp.respond = () => ({ status: 409, body: { error: { code: 'replayed_request' } } });
    const r = result<{ status: number }>(await ask(deps, port, 'keyhold_send', [{ sessionId: s.id, path: '/api/v1/orders', requestType: 1, body: '' }]));
    assert.equal(r.status, 409);
  });

  test('an answer the port cannot carry gets -32603 alone; the page keeps being answered', async () => {
    const deps = await makeDeps();
    // Chromium's port serialises as JSON: a value JSON cannot carry makes postMessage throw.
    const port = new (class extends FakeWorkerPort {
      override postMessage(message: Parameters<FakeWorkerPort['postMessage']>[0]): void {
        JSON.stringify(message);
        super.postMessage(message);
      }
    })();
    servePagePort(port, ORIGIN_A, Promise.resolve(deps));
    const s = await activeSession(deps, port);
    deps.fakeHttp.respond = () => ({ status: 200, body: { big: 1n } });
    const e = error(await ask(deps, port, 'keyhold_send', [{ sessionId: s.id, path: '/api/v1/orders', requestType: 1, body: '' }]));
    assert.equal(e.code, -32603);
    acceptingService(deps);
    result(await ask(deps, port, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: '' }]));
  });

  test('a local session cannot send; a pending one cannot either', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const pending = await pendingSession(deps, port);
    assert.equal(error(await ask(deps, port, 'keyhold_send', [{ sessionId: pending.id, path: '/x', requestType: 1, body: '' }])).code, 4100);
  });
});

describe('revoking a service session', () => {
  test('delivered at once: the service logs out, the session and key are gone', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await activeSession(deps, port);
    const r = result(await ask(deps, port, 'keyhold_revokeSession', [{ sessionId: s.id }]));
    assert.deepEqual(r, { revoked: true, service: 'revoked' });
    const logout = deps.fakeHttp.calls.find((c) => c.url === `${BASE}/api/v1/logout`)!;
    assert.equal(logout.headers['X-DEVICE-KEY'], DEVICE_KEY);
    const p = decodePayload(b64((logout.json as JsonEnvelope).payload));
    assert.equal(p.requestType, RequestType.RevokeSession);
    assert.ok(verifyEd25519(b64(s.publicKey), b64((logout.json as JsonEnvelope).payload), b64((logout.json as JsonEnvelope).signature)));
    assert.equal(await deps.db.get('sessions', s.id), undefined);
    assert.deepEqual(await deps.revocations.pending(), []);
    assert.equal(error(await ask(deps, port, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: '' }])).code, 4100);
  });

  test('service down: revoked locally at once, delivery pending, retried with backoff until it lands', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await activeSession(deps, port);
    deps.fakeHttp.respond = () => ({ status: 503, body: 'down' });
    assert.deepEqual(result(await ask(deps, port, 'keyhold_revokeSession', [{ sessionId: s.id }])), { revoked: true, service: 'pending' });
    assert.equal(await deps.db.get('sessions', s.id), undefined, 'gone locally at once');
    let [queued] = await deps.revocations.pending();
    assert.equal(queued!.attempts, 1);
    assert.equal(queued!.nextAttemptAt, deps.clock.now + 20_000, 'first retry within 30 s');
    assert.match(queued!.lastError!, /503/);
    assert.equal(deps.scheduled.at(-1), deps.clock.now + 20_000);
    // Not yet due: nothing is sent.
    const calls = deps.fakeHttp.calls.length;
    await deps.revocations.deliverDue();
    assert.equal(deps.fakeHttp.calls.length, calls);
    // Due and still down: the delay doubles.
    deps.clock.now += 20_000;
    await deps.revocations.deliverDue();
    [queued] = await deps.revocations.pending();
    assert.equal(queued!.attempts, 2);
    assert.equal(queued!.nextAttemptAt, deps.clock.now + 40_000);
    // Back up: delivered, with a fresh signature, and the queue is empty.
    acceptingService(deps);
    deps.clock.now += 40_000;
    await deps.revocations.deliverDue();
    assert.deepEqual(await deps.revocations.pending(), []);
    const last = deps.fakeHttp.calls.at(-1)!;
    assert.equal(last.url, `${BASE}/api/v1/logout`);
    assert.equal(decodePayload(b64((last.json as JsonEnvelope).payload)).issuedAtMs, deps.clock.now);
    assert.equal(deps.scheduled.at(-1), undefined, 'the alarm is cleared');
  });

  test('a worker start delivers every owed revocation, due or not', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await activeSession(deps, port);
    deps.fakeHttp.respond = () => ({ status: 503, body: 'down' });
    await ask(deps, port, 'keyhold_revokeSession', [{ sessionId: s.id }]);
    acceptingService(deps);
    await deps.revocations.deliverDue();
    assert.equal((await deps.revocations.pending()).length, 1, 'not yet due');
    await deps.revocations.deliverAll();
    assert.deepEqual(await deps.revocations.pending(), []);
  });

  test('a 4xx from the service ends delivery (it will never accept it)', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await activeSession(deps, port);
    deps.fakeHttp.respond = () => ({ status: 401, body: { error: { code: 'unknown_session' } } });
    assert.deepEqual(result(await ask(deps, port, 'keyhold_revokeSession', [{ sessionId: s.id }])), { revoked: true, service: 'revoked' });
    assert.deepEqual(await deps.revocations.pending(), []);
  });

  test('a pending (never logged in) session is revoked locally with nothing to send', async () => {
    const deps = await makeDeps();
    const port = serve(deps);
    const s = await pendingSession(deps, port);
    assert.deepEqual(result(await ask(deps, port, 'keyhold_revokeSession', [{ sessionId: s.id }])), { revoked: true, service: 'revoked' });
    assert.equal(deps.fakeHttp.calls.length, 0);
  });

  test('the retry delay doubles from 20 s and stops at 5 minutes', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 20].map(retryDelay), [20_000, 40_000, 80_000, 160_000, MAX_RETRY_MS, MAX_RETRY_MS, MAX_RETRY_MS]);
  });
});
