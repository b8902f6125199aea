/**
 * The reference service's `assignSessionIds` option (issue 11 §3): login answers a session id
 * of the service's own (not the one the login proposes); orders name it; the session logs out
 * with a RevokeSession naming it (its proposed id is `not_own_session`); the master lists and
 * revokes it under it. Without the option the proposed id is kept.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MasterKey, login, orderPayload, payload, post, scopeBody, start, uuidText } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const idBytes = (text: string) => Buffer.from(text.replace(/-/g, ''), 'hex');

describe('reference service: assignSessionIds', () => {
  test("login answers the service's own id, used by orders, logout and the master's list and revoke", async () => {
    const service = await start({ assignSessionIds: true });
    try {
      const master = new MasterKey();
      const s = await login(service, master);
      assert.match(s.row.id, UUID);
      assert.notEqual(s.row.id, uuidText(s.id), 'not the proposed id');
      assert.equal(s.row.public_key, Buffer.from(s.key.publicKey).toString('base64'), 'the row names the key');
      const order = await post(service, '/api/v1/orders', s.key.sign(orderPayload(service.now)), { 'x-device-key': s.deviceKey });
      assert.equal(order.status, 200);
      assert.equal(order.json.session_id, s.row.id);
      const list = await post(service, '/api/v1/auth/sessions/list', master.sign(payload({ signatureType: 2, requestType: 47, body: scopeBody(service.url), issuedAtMs: service.now })));
      assert.deepEqual(list.json.map((r: { id: string }) => r.id), [s.row.id]);
      const proposed = await post(service, '/api/v1/logout', s.key.sign(payload({ signatureType: 1, requestType: 14, body: s.id, issuedAtMs: service.now })));
      assert.equal(proposed.status, 403, 'the proposed id is not this session at this service');
      assert.equal(proposed.json.error.code, 'not_own_session');
      const logout = await post(service, '/api/v1/logout', s.key.sign(payload({ signatureType: 1, requestType: 14, body: idBytes(s.row.id), issuedAtMs: service.now })), { 'x-device-key': s.deviceKey });
      assert.deepEqual(logout.json, { session_revoked: true, device_key_deleted: true });
      const other = await login(service, master);
      const revoke = await post(service, '/api/v1/auth/sessions/revoke', master.sign(payload({ signatureType: 2, requestType: 14, body: Buffer.concat([idBytes(other.row.id), scopeBody(service.url)]), issuedAtMs: service.now })));
      assert.deepEqual(revoke.json, { session_revoked: true });
      assert.equal(service.state.sessions.get(other.row.id)!.revoked, true);
    } finally {
      await service.close();
    }
  });

  test('without it, the proposed id is kept', async () => {
    const service = await start();
    try {
      const s = await login(service, new MasterKey());
      assert.equal(s.row.id, uuidText(s.id));
    } finally {
      await service.close();
    }
  });
});
