/**
 * Malformed requests (a table of bad transports and payloads → 400 with their codes) and the
 * HTTP surface: 404, 405, 413, 415, CORS preflight, health, static files, the outage hook, logs.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MasterKey, b64, frameOf, login, orderPayload, payload, post, start, type LoggedIn, type TestService,
} from './helpers.js';

let service: TestService;
let session: LoggedIn;
const lines: string[] = [];
before(async () => {
  service = await start({ testHooks: true, logger: (line) => lines.push(line) });
  session = await login(service, new MasterKey());
});
after(() => service.close());

/** A well-formed signed order, as parts to break. */
function parts(): { p: Buffer; envelope: Record<string, string> } {
  const p = orderPayload(service.now);
  return { p, envelope: session.key.sign(p) as Record<string, string> };
}

/** Re-signs a payload changed by `edit` (so only the change is wrong, not the signature). */
function resigned(edit: (p: Buffer) => Buffer): Record<string, string> {
  return session.key.sign(edit(orderPayload(service.now))) as Record<string, string>;
}

const setU32 = (p: Buffer, at: number, v: number): Buffer => {
  p.writeUInt32LE(v, at);
  return p;
};

const cases: [string, () => unknown, string][] = [
  ['bad JSON', () => '{"payload":', 'bad_json'],
  ['a JSON array', () => '[]', 'bad_json'],
  ['no payload member', () => ({ public_key: 'AA==', signature: 'AA==' }), 'missing_field'],
  ['no signature member', () => { const { envelope } = parts(); delete envelope.signature; return envelope; }, 'missing_field'],
  ['an extra member', () => ({ ...parts().envelope, frame: 'AA==' }), 'unexpected_field'],
  ['passkey members on an Ed25519 payload', () => ({ ...parts().envelope, credential_id: 'AA==' }), 'unexpected_field'],
  ['payload not a string', () => ({ ...parts().envelope, payload: 5 }), 'bad_base64'],
  ['URL-safe base64', () => ({ ...parts().envelope, signature: parts().envelope.signature!.replace(/\+/g, '-').replace(/\//g, '_').padEnd(90, '-') }), 'bad_base64'],
  ['unpadded base64', () => ({ ...parts().envelope, public_key: parts().envelope.public_key!.replace(/=+$/, '') }), 'bad_base64'],
  ['non-zero unused bits (Zh==)', () => ({ ...parts().envelope, payload: 'Zh==' }), 'bad_base64'],
  ['base64 with whitespace', () => ({ ...parts().envelope, payload: ' ' + parts().envelope.payload }), 'bad_base64'],
  ['a 39-byte payload', () => ({ ...parts().envelope, payload: b64(Buffer.alloc(39, 1)) }), 'payload_too_short'],
  ['version 2', () => resigned((p) => { p[0] = 2; return p; }), 'unsupported_version'],
  ['signature type 4', () => resigned((p) => { p[1] = 4; return p; }), 'unknown_signature_type'],
  ['body_length one too many', () => resigned((p) => setU32(p, 4, p.readUInt32LE(4) + 1)), 'body_length_mismatch'],
  ['body_length one too few', () => resigned((p) => setU32(p, 4, p.readUInt32LE(4) - 1)), 'body_length_mismatch'],
  ['a request id that is not UUIDv7', () => resigned((p) => { p[14] = 0x40; return p; }), 'bad_request_id'],
  ['a bad variant', () => resigned((p) => { p[16] = 0xc0; return p; }), 'bad_request_id'],
  ['issued_at over 2^53-1', () => resigned((p) => { p.writeBigUInt64LE(1n << 53n, p.length - 16); return p; }), 'bad_payload_time'],
  ['a 31-byte public key', () => ({ ...parts().envelope, public_key: b64(Buffer.alloc(31)) }), 'bad_public_key_length'],
  ['a 63-byte signature', () => ({ ...parts().envelope, signature: b64(Buffer.alloc(63)) }), 'bad_signature_length'],
  ['request type 0x8001 on orders', () => resigned((p) => { p.writeUInt16LE(0x8001, 2); return p; }), 'wrong_request_type'],
  ['a truncated frame', () => frameOf(parts().envelope as never).subarray(0, 50), 'bad_frame'],
  ['a frame with a trailing byte', () => Buffer.concat([frameOf(parts().envelope as never), Buffer.of(0)]), 'bad_frame'],
  ['a frame shorter than 4 bytes', () => Buffer.of(1, 0), 'bad_frame'],
  ['a frame payload_length over the maximum', () => setU32(Buffer.alloc(8), 0, 65577), 'bad_frame'],
  ['a passkey payload in a frame', () => frameOf({ payload: b64(payload({ signatureType: 3, requestType: 1, issuedAtMs: service.now })), public_key: 'AA==', signature: 'AA==' }), 'passkey_requires_json'],
];

describe('malformed requests are 400 with a code', () => {
  for (const [name, make, code] of cases) {
    test(`${name} → ${code}`, async () => {
      const a = await post(service, '/api/v1/orders', make(), { 'x-device-key': session.deviceKey });
      assert.equal(a.status, 400, JSON.stringify(a.json));
      assert.equal(a.json.error.code, code);
      assert.ok(a.json.error.message.length > 0);
    });
  }

  test('secp256k1: v not 27/28, a key without the 02/03 prefix', async () => {
    const master = new MasterKey();
    const p = payload({ signatureType: 2, requestType: 47, issuedAtMs: service.now });
    const e = master.sign(p);
    const sig = Buffer.from(e.signature, 'base64');
    sig[64] = 1;
    const a = await post(service, '/api/v1/auth/sessions/list', { ...e, signature: b64(sig) });
    assert.equal(a.json.error.code, 'bad_signature_v');
    const key = Buffer.from(e.public_key!, 'base64');
    key[0] = 4;
    const b = await post(service, '/api/v1/auth/sessions/list', { ...e, public_key: b64(key) });
    assert.equal(b.json.error.code, 'bad_public_key');
  });
});

describe('the HTTP surface', () => {
  test('an unknown content type is a 415', async () => {
    const a = await post(service, '/api/v1/orders', JSON.stringify(parts().envelope), { 'content-type': 'text/plain' });
    assert.equal(a.status, 415);
    assert.equal(a.json.error.code, 'unsupported_media_type');
  });

  test('content-type parameters are ignored', async () => {
    const a = await post(service, '/api/v1/orders', parts().envelope, { 'content-type': 'application/json; charset=utf-8', 'x-device-key': session.deviceKey });
    assert.equal(a.status, 200, JSON.stringify(a.json));
  });

  test('a body over 128 KiB is a 413', async () => {
    const a = await post(service, '/api/v1/orders', JSON.stringify({ payload: 'A'.repeat(128 * 1024) }));
    assert.equal(a.status, 413);
    assert.equal(a.json.error.code, 'body_too_large');
  });

  test('a body of exactly 128 KiB is read (and rejected for its content, not its size)', async () => {
    const text = JSON.stringify({ payload: '' }).replace('""', `"${'A'.repeat(128 * 1024 - 14)}"`);
    assert.equal(Buffer.byteLength(text), 128 * 1024);
    const a = await post(service, '/api/v1/orders', text);
    assert.equal(a.status, 400);
  });

  test('an unknown API route is a 404, a wrong method a 405 with Allow', async () => {
    const a = await post(service, '/api/v1/nope', {});
    assert.equal(a.status, 404);
    assert.equal(a.json.error.code, 'not_found');
    const b = await fetch(service.url + '/api/v1/orders');
    assert.equal(b.status, 405);
    assert.equal(b.headers.get('allow'), 'POST');
    assert.equal(((await b.json()) as any).error.code, 'method_not_allowed');
  });

  test('CORS preflight allows content-type and x-device-key from any origin', async () => {
    const a = await fetch(service.url + '/api/v1/orders', {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://abcdefghijklmnop',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-device-key',
      },
    });
    assert.equal(a.status, 204);
    assert.equal(a.headers.get('access-control-allow-origin'), '*');
    assert.match(a.headers.get('access-control-allow-headers')!, /content-type/);
    assert.match(a.headers.get('access-control-allow-headers')!, /x-device-key/);
    assert.match(a.headers.get('access-control-allow-methods')!, /POST/);
  });

  test('GET /api/v1/health answers {ok: true}', async () => {
    const a = await fetch(service.url + '/api/v1/health');
    assert.equal(a.status, 200);
    assert.deepEqual(await a.json(), { ok: true });
  });

  test('static files: / is the demo page; traversal and unknown files are 404', async () => {
    const a = await fetch(service.url + '/');
    assert.equal(a.status, 200);
    assert.match(a.headers.get('content-type')!, /text\/html/);
    assert.match(await a.text(), /Keyhold demo exchange/);
    assert.equal((await fetch(service.url + '/index.html')).status, 200);
    assert.equal((await fetch(service.url + '/nope.js')).status, 404);
    assert.equal((await fetch(service.url + '/%2e%2e/main.ts')).status, 404);
    assert.equal((await fetch(service.url + '/..%2fmain.ts')).status, 404);
  });

  test('one log line per request, without device keys', () => {
    assert.ok(lines.some((l) => / POST \/api\/v1\/orders 200 /.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => / POST \/api\/v1\/orders 400 bad_frame /.test(l)));
    assert.ok(!lines.some((l) => l.includes(session.deviceKey)));
  });
});

describe('the outage test hook', () => {
  test('every other endpoint answers 503 while on, and recovers when off', async () => {
    const on = await post(service, '/api/v1/_test/outage', { on: true });
    assert.deepEqual(on.json, { outage: true });
    try {
      const health = await fetch(service.url + '/api/v1/health');
      assert.equal(health.status, 503);
      assert.equal(((await health.json()) as any).error.code, 'service_unavailable');
      const order = await post(service, '/api/v1/orders', parts().envelope, { 'x-device-key': session.deviceKey });
      assert.equal(order.status, 503);
      assert.equal((await fetch(service.url + '/', { method: 'OPTIONS' })).status, 204);
    } finally {
      assert.deepEqual((await post(service, '/api/v1/_test/outage', { on: false })).json, { outage: false });
    }
    const order = await post(service, '/api/v1/orders', parts().envelope, { 'x-device-key': session.deviceKey });
    assert.equal(order.status, 200);
  });

  test('a bad hook body is a 400', async () => {
    const a = await post(service, '/api/v1/_test/outage', { on: 'yes' });
    assert.equal(a.status, 400);
    assert.equal(a.json.error.code, 'bad_body');
  });

  test('without testHooks the hook does not exist', async () => {
    const plain = await start();
    try {
      const a = await post(plain, '/api/v1/_test/outage', { on: true });
      assert.equal(a.status, 404);
      assert.equal((await fetch(plain.url + '/api/v1/health')).status, 200);
    } finally {
      await plain.close();
    }
  });
});
