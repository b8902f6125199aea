/**
 * The worker's one service client (`background/services/client.ts`): paths stay on the
 * service's origin, the device key travels only as `X-DEVICE-KEY` and only when given, a
 * service that does not answer is one -32603 error with its reason, and answers map to 4100
 * (refused) or -32603 (failed) the same way for every caller.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderRpcError, serializeError } from '../../src/protocol/errors.js';
import { DEVICE_KEY_HEADER, ServiceClient, ServiceNotAnswering, requireSuccess } from '../../background/services/client.js';
import { ServiceUnreachable, member, serviceMessage, type HttpAnswer } from '../../background/services/http.js';
import { FakeHttp } from './fakes.js';

const BASE = 'https://api.service.example';
const DEVICE_KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

describe('ServiceClient', () => {
  test('posts to the path on the service, with X-DEVICE-KEY (base64) only when a device key is given', async () => {
    const http = new FakeHttp();
    const client = new ServiceClient(http, BASE);
    await client.post('/api/v1/orders?x=1', { a: 1 }, DEVICE_KEY);
    await client.post('/api/v1/login', { b: 2 });
    assert.deepEqual(http.calls, [
      { url: `${BASE}/api/v1/orders?x=1`, json: { a: 1 }, headers: { [DEVICE_KEY_HEADER]: Buffer.from(DEVICE_KEY).toString('base64') } },
      { url: `${BASE}/api/v1/login`, json: { b: 2 }, headers: {} },
    ]);
    assert.equal(DEVICE_KEY_HEADER, 'X-DEVICE-KEY');
  });

  test('a path that would leave the service is -32602 and nothing is sent (with the device key least of all)', async () => {
    const http = new FakeHttp();
    const client = new ServiceClient(http, BASE);
    for (const path of ['//evil.example/steal', 'https://evil.example/x', '/\\evil.example/x', 'http://api.service.example/x']) {
      const err = await rejection(client.post(path, {}, DEVICE_KEY));
      assert.ok(err instanceof ProviderRpcError && err.code === -32602, `${path}: ${String(err)}`);
      assert.throws(() => client.url(path), ProviderRpcError);
    }
    assert.equal(http.calls.length, 0);
  });

  test('a service that does not answer is ServiceNotAnswering: -32603 naming the service and the reason, which crosses to the page', async () => {
    for (const reason of ['network', 'timeout', 'too-large'] as const) {
      const http = new FakeHttp();
      http.respond = () => {
        throw new ServiceUnreachable(reason);
      };
      const err = await rejection(new ServiceClient(http, BASE).post('/api/v1/logout', {}, DEVICE_KEY));
      assert.ok(err instanceof ServiceNotAnswering, String(err));
      assert.equal(err.reason, reason);
      assert.deepEqual(serializeError(err), { code: -32603, message: `The service at ${BASE} did not answer (${reason}).`, data: { reason } });
    }
  });

  test('any other failure passes through unchanged', async () => {
    const http = new FakeHttp();
    const boom = new Error('internal');
    http.respond = () => {
      throw boom;
    };
    assert.equal(await rejection(new ServiceClient(http, BASE).post('/api/v1/orders', {})), boom);
  });

  test('call: a 2xx is the answer; a 4xx is 4100 quoting the service; anything else is -32603 naming the service', async () => {
    const http = new FakeHttp();
    const client = new ServiceClient(http, BASE);
    const outcomes: Array<[HttpAnswer, number | 'ok']> = [
      [{ status: 200, body: { ok: true } }, 'ok'],
      [{ status: 204, body: '' }, 'ok'],
      [{ status: 400, body: { error: { code: 'bad', message: 'malformed' } } }, 4100],
      [{ status: 401, body: { error: { code: 'bad_signature', message: 'no' } } }, 4100],
      [{ status: 404, body: 'not here' }, 4100],
      [{ status: 302, body: '' }, -32603],
      [{ status: 500, body: { message: 'down' } }, -32603],
      [{ status: 503, body: '' }, -32603],
    ];
    for (const [answer, expected] of outcomes) {
      http.respond = () => answer;
      if (expected === 'ok') {
        assert.deepEqual(await client.call('/api/v1/x', {}), answer);
        continue;
      }
      const err = await rejection(client.call('/api/v1/x', {}, { subject: 'the thing' }));
      assert.ok(err instanceof ProviderRpcError && err.code === expected, `${answer.status}: ${String(err)}`);
      if (expected === 4100) assert.match(err.message, new RegExp(`^The service refused the thing \\(HTTP ${answer.status}`));
      else assert.ok(err.message.startsWith(`The service at ${BASE} failed: HTTP ${answer.status}`), err.message);
    }
  });

  test('requireSuccess without a subject says "The service refused (…)"', () => {
    assert.throws(() => requireSuccess(BASE, { status: 403, body: { error: { message: 'not yours' } } }), /^ProviderRpcError: The service refused \(HTTP 403: not yours\)\.$|The service refused \(HTTP 403: not yours\)\./);
  });
});

describe('reading a service\'s answer', () => {
  test('member: an own member along the path, or undefined; never the prototype\'s, never inside a string or an array', () => {
    const body: unknown = JSON.parse('{"error":{"code":"gone","message":"m"},"session":{"id":null},"list":[{"id":1}],"__proto__":{"polluted":true}}');
    assert.equal(member(body, 'error', 'code'), 'gone');
    assert.equal(member(body, 'session', 'id'), null);
    assert.equal(member(body, 'session', 'public_key'), undefined);
    assert.equal(member(body, 'list', '0'), undefined);
    assert.deepEqual(member(body, '__proto__'), { polluted: true }, 'a JSON member of that name is data');
    for (const key of ['constructor', 'toString', 'hasOwnProperty']) assert.equal(member(body, key), undefined, key);
    for (const answer of [null, undefined, 'error', 42, true, [1]]) assert.equal(member(answer, 'error'), undefined);
    assert.equal(member('text'), 'text');
  });

  test('serviceMessage: the service\'s own words in the usual places, control characters blanked, capped', () => {
    const said = (body: unknown) => serviceMessage({ status: 418, body });
    assert.equal(said({ error: { code: 'x', message: 'nested' }, message: 'top' }), 'HTTP 418: nested');
    assert.equal(said({ error: { code: 'x' }, message: 'top' }), 'HTTP 418: top');
    assert.equal(said({ error: 'flat' }), 'HTTP 418: flat');
    assert.equal(said('plain\ntext'), 'HTTP 418: plain text');
    assert.equal(said({ error: { message: '' }, message: 42 }), 'HTTP 418');
    assert.equal(said([{ message: 'in a list' }]), 'HTTP 418');
    assert.equal(said('x'.repeat(1000)).length, 'HTTP 418: '.length + 200);
  });
});
