/**
 * The reference service verifies every signed endpoint through `@keyhold/verify`: the master's
 * session endpoints, `/api/v1/verify` and API-key-signed orders refuse a malformed, mis-typed,
 * mis-signed or expired request with exactly the status, code and message the package's own
 * `Verifier` gives for the same bytes under the endpoint's policy (a second verifier inside the
 * service would word them its own way). Over real HTTP.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Verifier, VerifyError, type Policy } from '../../packages/verify/src/index.js';
import { MasterKey, SessionKey, b64, frameOf, payload, scopeBody, start, type Envelope, type TestService } from './helpers.js';

let service: TestService;
before(async () => {
  service = await start();
});
after(async () => {
  await service.close();
});

interface Refusal {
  status: number;
  code: string;
  message: string;
}

/** What `@keyhold/verify`, configured as the service's window is, says of these bytes. */
async function packageSays(contentType: string, body: Uint8Array, policy: Policy<unknown>): Promise<Refusal> {
  const verifier = new Verifier({ clock: () => service.now, clockSkew: { aheadMs: 60_000, behindMs: 0 } });
  try {
    await verifier.verifyBody(contentType, body, policy);
  } catch (err) {
    if (err instanceof VerifyError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  assert.fail('the package accepted a request meant to be refused');
}

async function serviceSays(path: string, contentType: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<Refusal> {
  const res = await fetch(service.url + path, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: new Uint8Array(body) });
  const json = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: json.error.code, message: json.error.message };
}

const json = (e: Envelope | string): Uint8Array => Buffer.from(typeof e === 'string' ? e : JSON.stringify(e));
const flipSignature = (e: Envelope): Envelope => {
  const sig = Buffer.from(e.signature, 'base64');
  sig[3]! ^= 0x01;
  return { ...e, signature: b64(sig) };
};

describe('every signed endpoint refuses as @keyhold/verify does', () => {
  const master = new MasterKey();
  const session = new SessionKey();
  const list = (over: { signatureType?: number; requestType?: number; issuedAtMs?: number } = {}) =>
    payload({ signatureType: 2, requestType: 47, body: scopeBody(service.url), issuedAtMs: service.now, ...over });

  const cases: Array<[string, string, Policy<unknown>, () => { type: string; body: Uint8Array; headers?: Record<string, string> }]> = [
    ['list: not JSON', '/api/v1/auth/sessions/list', { requestType: 47, signer: 'master' }, () => ({ type: 'application/json', body: json('{"payload":') })],
    ['list: a member that is not canonical base64', '/api/v1/auth/sessions/list', { requestType: 47, signer: 'master' }, () => ({ type: 'application/json', body: json({ ...master.sign(list()), signature: 'AB=C' }) })],
    ['list: a media type of neither transport', '/api/v1/auth/sessions/list', { requestType: 47, signer: 'master' }, () => ({ type: 'text/plain', body: json(master.sign(list())) })],
    ['list: a frame with a trailing byte', '/api/v1/auth/sessions/list', { requestType: 47, signer: 'master' }, () => ({ type: 'application/octet-stream', body: Buffer.concat([frameOf(master.sign(list())), Buffer.of(0)]) })],
    ['list: another request type', '/api/v1/auth/sessions/list', { requestType: 47, signer: 'master' }, () => ({ type: 'application/json', body: json(master.sign(list({ requestType: 14 }))) })],
    ['list: signed by a session key', '/api/v1/auth/sessions/list', { requestType: 47, signer: 'master' }, () => ({ type: 'application/json', body: json(session.sign(list({ signatureType: 1 }))) })],
    ['list: a signature that does not recover to the key', '/api/v1/auth/sessions/list', { requestType: 47, signer: 'master' }, () => ({ type: 'application/json', body: json(flipSignature(master.sign(list()))) })],
    ['list: expired', '/api/v1/auth/sessions/list', { requestType: 47, signer: 'master' }, () => ({ type: 'application/json', body: json(master.sign(list({ issuedAtMs: service.now - 120_000 }))) })],
    ['list: issued too far ahead', '/api/v1/auth/sessions/list', { requestType: 47, signer: 'master' }, () => ({ type: 'application/json', body: json(master.sign(list({ issuedAtMs: service.now + 120_000 }))) })],
    ['revoke: a ListSessions payload', '/api/v1/auth/sessions/revoke', { requestType: 14, signer: 'master' }, () => ({ type: 'application/json', body: json(master.sign(list())) })],
    ['verify: a master signature that does not recover', '/api/v1/verify', { requestType: null, signer: 'any' }, () => ({ type: 'application/json', body: json(flipSignature(master.sign(list()))) })],
    ['verify: a session key of the wrong length', '/api/v1/verify', { requestType: null, signer: 'any' }, () => ({ type: 'application/json', body: json({ ...session.sign(list({ signatureType: 1 })), public_key: b64(Buffer.alloc(31)) }) })],
    [
      'orders with X-API-Key: signed by a master',
      '/api/v1/orders',
      { requestType: 1, signer: 'session' },
      () => ({ type: 'application/json', body: json(master.sign(payload({ signatureType: 2, requestType: 1, body: Buffer.from('{"side":"buy","qty":1}'), issuedAtMs: service.now }))), headers: { 'x-api-key': 'ab'.repeat(32) } }),
    ],
  ];

  for (const [name, path, policy, make] of cases) {
    test(name, async () => {
      const { type, body, headers } = make();
      const expected = await packageSays(type, body, policy);
      assert.deepEqual(await serviceSays(path, type, body, headers), expected);
    });
  }
});
