/**
 * Session-signed endpoints over real HTTP: orders (JSON and frame), the auth window, replays,
 * device keys, roles, subaccounts, logout.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MasterKey, SessionKey, b64, frameOf, login, orderPayload, payload, post, start, uuidText, uuidv7,
  type LoggedIn, type TestService,
} from './helpers.js';

let service: TestService;
let master: MasterKey;
before(async () => {
  service = await start();
  master = new MasterKey();
});
after(() => service.close());

const order = (s: LoggedIn, body: Uint8Array, deviceKey: string | null = s.deviceKey) =>
  post(service, '/api/v1/orders', s.key.sign(body), deviceKey === null ? {} : { 'x-device-key': deviceKey });

function assertError(a: { status: number; json: any }, status: number, code: string): void {
  assert.equal(a.status, status, JSON.stringify(a.json));
  assert.equal(a.json.error.code, code);
  assert.equal(typeof a.json.error.message, 'string');
}

describe('POST /api/v1/orders', () => {
  test('accepts a session-signed order in the JSON envelope', async () => {
    const s = await login(service, master);
    const p = orderPayload(service.now, { side: 'sell', qty: 2.5, symbol: 'ETH-USD' });
    const a = await order(s, p);
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.equal(a.json.accepted, true);
    assert.equal(a.json.session_id, s.row.id);
    assert.equal(a.json.request_id, uuidText(p.subarray(8, 24)));
    assert.match(a.json.order_id, /^[0-9a-f-]{36}$/);
  });

  test('accepts the binary frame', async () => {
    const s = await login(service, master);
    const a = await post(service, '/api/v1/orders', frameOf(s.key.sign(orderPayload(service.now))), { 'x-device-key': s.deviceKey });
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.equal(a.json.accepted, true);
  });

  test('a replayed payload is a 409, in either transport', async () => {
    const s = await login(service, master);
    const signed = s.key.sign(orderPayload(service.now));
    assert.equal((await post(service, '/api/v1/orders', signed, { 'x-device-key': s.deviceKey })).status, 200);
    assertError(await post(service, '/api/v1/orders', signed, { 'x-device-key': s.deviceKey }), 409, 'replayed_request');
    assertError(await post(service, '/api/v1/orders', frameOf(signed), { 'x-device-key': s.deviceKey }), 409, 'replayed_request');
  });

  test('the auth window: expired, too far ahead, too long, inverted are 401', async () => {
    const s = await login(service, master);
    const now = service.now;
    assertError(await order(s, orderPayload(now, undefined, { issuedAtMs: now - 61_000, expiresAtMs: now - 1_000 })), 401, 'auth_expired');
    assertError(await order(s, orderPayload(now, undefined, { issuedAtMs: now + 60_001 })), 401, 'auth_not_yet_valid');
    assertError(await order(s, orderPayload(now, undefined, { expiresAtMs: now + 60_001 })), 401, 'auth_window_invalid');
    assertError(await order(s, orderPayload(now, undefined, { expiresAtMs: now })), 401, 'auth_window_invalid');
    // The edges pass: exactly at expires_at, and issued 60 s ahead.
    assert.equal((await order(s, orderPayload(now, undefined, { issuedAtMs: now - 60_000, expiresAtMs: now }))).status, 200);
    assert.equal((await order(s, orderPayload(now, undefined, { issuedAtMs: now + 60_000 }))).status, 200);
  });

  test('a missing or wrong device key is a 401', async () => {
    const s = await login(service, master);
    const other = await login(service, master);
    assertError(await order(s, orderPayload(service.now), null), 401, 'device_key_missing');
    assertError(await order(s, orderPayload(service.now), other.deviceKey), 401, 'device_key_invalid');
    assertError(await order(s, orderPayload(service.now), b64(Buffer.alloc(32))), 401, 'device_key_invalid');
  });

  test('an unknown key, a bad signature, an expired session are 401', async () => {
    const stranger = await order({ key: new SessionKey(), id: uuidv7(), deviceKey: 'x', row: null }, orderPayload(service.now));
    assertError(stranger, 401, 'unknown_session');
    const s = await login(service, master, { ttlMs: 5_000 });
    const signed = s.key.sign(orderPayload(service.now));
    const tampered = { ...signed, signature: new SessionKey().sign(Buffer.from(signed.payload, 'base64')).signature };
    assertError(await post(service, '/api/v1/orders', tampered, { 'x-device-key': s.deviceKey }), 401, 'bad_signature');
    service.now += 5_000;
    try {
      assertError(await order(s, orderPayload(service.now)), 401, 'session_expired');
    } finally {
      service.now -= 5_000;
    }
  });

  test('a master signature is a 400 wrong_signature_type; request type 2 is a 400 wrong_request_type', async () => {
    const p = payload({ signatureType: 2, requestType: 1, body: Buffer.from('{"side":"buy","qty":1}'), issuedAtMs: service.now });
    assertError(await post(service, '/api/v1/orders', master.sign(p)), 400, 'wrong_signature_type');
    const s = await login(service, master);
    assertError(await order(s, orderPayload(service.now, undefined, { requestType: 2 })), 400, 'wrong_request_type');
  });

  const badOrders: [string, unknown][] = [
    ['no qty', { side: 'buy' }],
    ['side hold', { side: 'hold', qty: 1 }],
    ['qty 0', { side: 'buy', qty: 0 }],
    ['qty text', { side: 'buy', qty: '1' }],
    ['symbol number', { side: 'buy', qty: 1, symbol: 5 }],
    ['subaccount -1', { side: 'buy', qty: 1, subaccount: -1 }],
    ['an extra member', { side: 'buy', qty: 1, price: 3 }],
    ['an array', [1]],
  ];
  for (const [name, body] of badOrders) {
    test(`an order body with ${name} is a 400 bad_body`, async () => {
      const s = await login(service, master);
      assertError(await order(s, orderPayload(service.now, body)), 400, 'bad_body');
    });
  }

  test('an order body that is not UTF-8 JSON is a 400 bad_body', async () => {
    const s = await login(service, master);
    const p = payload({ signatureType: 1, requestType: 1, body: Buffer.of(0xff, 0x7b), issuedAtMs: service.now });
    assertError(await order(s, p), 400, 'bad_body');
  });
});

describe('roles and subaccounts', () => {
  const withdrawal = (s: LoggedIn, body: unknown) =>
    post(service, '/api/v1/withdrawals', s.key.sign(payload({
      signatureType: 1, requestType: 2, body: Buffer.from(JSON.stringify(body)), issuedAtMs: service.now,
    })), { 'x-device-key': s.deviceKey });

  test('withdrawals need FULL_ACCESS: TRADING_ONLY is a 403', async () => {
    const trading = await login(service, master, { role: 0 });
    assertError(await withdrawal(trading, { asset: 'USDC', amount: 10 }), 403, 'role_forbidden');
    const full = await login(service, master, { role: 1 });
    const a = await withdrawal(full, { asset: 'USDC', amount: 10 });
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.equal(a.json.accepted, true);
    assert.equal(a.json.session_id, full.row.id);
    assert.match(a.json.withdrawal_id, /^[0-9a-f-]{36}$/);
  });

  test('a FULL_ACCESS session may also place orders', async () => {
    const full = await login(service, master, { role: 1 });
    assert.equal((await order(full, orderPayload(service.now))).status, 200);
  });

  test('a pinned session naming another subaccount is a 403; its own or none passes', async () => {
    const pinned = await login(service, master, { subaccount: 3 });
    assertError(await order(pinned, orderPayload(service.now, { side: 'buy', qty: 1, subaccount: 4 })), 403, 'subaccount_forbidden');
    assert.equal((await order(pinned, orderPayload(service.now, { side: 'buy', qty: 1, subaccount: 3 }))).status, 200);
    assert.equal((await order(pinned, orderPayload(service.now, { side: 'buy', qty: 1 }))).status, 200);
    const full = await login(service, master, { role: 1, subaccount: 3 });
    assertError(await withdrawal(full, { asset: 'USDC', amount: 1, subaccount: 0 }), 403, 'subaccount_forbidden');
  });

  test('an unpinned session may name any subaccount', async () => {
    const whole = await login(service, master, { subaccount: null });
    assert.equal((await order(whole, orderPayload(service.now, { side: 'buy', qty: 1, subaccount: 9 }))).status, 200);
  });
});

describe('POST /api/v1/logout', () => {
  const logout = (s: LoggedIn, id: Uint8Array, deviceKey: string | null) =>
    post(service, '/api/v1/logout', s.key.sign(payload({ signatureType: 1, requestType: 14, body: id, issuedAtMs: service.now })),
      deviceKey === null ? {} : { 'x-device-key': deviceKey });

  test('revokes the session and deletes its device key; then orders are 401', async () => {
    const s = await login(service, master);
    const a = await logout(s, s.id, s.deviceKey);
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.deepEqual(a.json, { session_revoked: true, device_key_deleted: true });
    assertError(await order(s, orderPayload(service.now)), 401, 'session_revoked');
    assertError(await logout(s, s.id, s.deviceKey), 401, 'session_revoked');
  });

  test('without (or with a wrong) device key it still revokes: device_key_deleted false', async () => {
    for (const deviceKey of [null, b64(Buffer.alloc(32, 7))]) {
      const s = await login(service, master);
      const a = await logout(s, s.id, deviceKey);
      assert.deepEqual(a.json, { session_revoked: true, device_key_deleted: false });
      assertError(await order(s, orderPayload(service.now)), 401, 'session_revoked');
    }
  });

  test('a session cannot log out another session: 403', async () => {
    const s = await login(service, master);
    const other = await login(service, master);
    assertError(await logout(s, other.id, s.deviceKey), 403, 'not_own_session');
    assert.equal((await order(other, orderPayload(service.now))).status, 200);
  });

  test('a master signature is a 400 (logout is for session keys)', async () => {
    const s = await login(service, master);
    const p = payload({ signatureType: 2, requestType: 14, body: s.id, issuedAtMs: service.now });
    assertError(await post(service, '/api/v1/logout', master.sign(p), { 'x-device-key': s.deviceKey }), 400, 'wrong_signature_type');
  });
});
