/**
 * Login with a secp256k1 master and with a passkey, passkey registration, and the master's
 * session list and revoke, over real HTTP.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MasterKey, Passkey, SessionKey, b64, createSessionBody, frameOf, login, orderPayload, payload, post, start,
  uuidText, uuidv7, type TestService,
} from './helpers.js';

let service: TestService;
before(async () => {
  service = await start();
});
after(() => service.close());

const loginPayload = (signatureType: number, body: Uint8Array): Buffer =>
  payload({ signatureType, requestType: 0x8001, body, issuedAtMs: service.now });

describe('POST /api/v1/login (secp256k1)', () => {
  test('answers a device key and the session row the body describes', async () => {
    const master = new MasterKey();
    const key = new SessionKey();
    const id = uuidv7(service.now);
    const validUntil = service.now + 86_400_000;
    const body = createSessionBody({ sessionId: id, publicKey: key.publicKey, role: 1, subaccount: 7, validUntilMs: validUntil });
    const answer = await post(service, '/api/v1/login', master.sign(loginPayload(2, body)));
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.equal(Buffer.from(answer.json.device_key, 'base64').length, 32);
    assert.deepEqual(answer.json.session, {
      id: uuidText(id),
      public_key: b64(key.publicKey),
      role: 'FULL_ACCESS',
      master_public_key: b64(master.publicKey),
      subaccount_index: 7,
      created_at: new Date(service.now).toISOString(),
      valid_until: new Date(validUntil).toISOString(),
    });
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
  });

  test('a session id or key used before is a 409', async () => {
    const master = new MasterKey();
    const first = await login(service, master);
    const sameId = createSessionBody({ sessionId: first.id, publicKey: new SessionKey().publicKey, validUntilMs: service.now + 60_000 });
    const a = await post(service, '/api/v1/login', master.sign(loginPayload(2, sameId)));
    assert.equal(a.status, 409);
    assert.equal(a.json.error.code, 'session_exists');
    const sameKey = createSessionBody({ publicKey: first.key.publicKey, validUntilMs: service.now + 60_000 });
    const b = await post(service, '/api/v1/login', master.sign(loginPayload(2, sameKey)));
    assert.equal(b.status, 409);
    assert.equal(b.json.error.code, 'session_key_in_use');
  });

  test('a valid_until in the past is a 400', async () => {
    const body = createSessionBody({ publicKey: new SessionKey().publicKey, validUntilMs: service.now - 1 });
    const a = await post(service, '/api/v1/login', new MasterKey().sign(loginPayload(2, body)));
    assert.equal(a.status, 400);
    assert.equal(a.json.error.code, 'session_already_expired');
  });

  test('a signature recovering to another key is a 401', async () => {
    const body = createSessionBody({ publicKey: new SessionKey().publicKey, validUntilMs: service.now + 60_000 });
    const envelope = new MasterKey().sign(loginPayload(2, body));
    envelope.public_key = b64(new MasterKey().publicKey);
    const a = await post(service, '/api/v1/login', envelope);
    assert.equal(a.status, 401);
    assert.equal(a.json.error.code, 'bad_signature');
  });

  test('a session key cannot log in (signature type 1 is a 400)', async () => {
    const key = new SessionKey();
    const body = createSessionBody({ publicKey: key.publicKey, validUntilMs: service.now + 60_000 });
    const a = await post(service, '/api/v1/login', key.sign(loginPayload(1, body)));
    assert.equal(a.status, 400);
    assert.equal(a.json.error.code, 'wrong_signature_type');
  });

  test('the binary frame works too', async () => {
    const body = createSessionBody({ publicKey: new SessionKey().publicKey, validUntilMs: service.now + 60_000 });
    const a = await post(service, '/api/v1/login', frameOf(new MasterKey().sign(loginPayload(2, body))));
    assert.equal(a.status, 200, JSON.stringify(a.json));
  });
});

describe('passkeys', () => {
  test('register, then log in with an assertion; the master is the SPKI', async () => {
    const passkey = new Passkey();
    const reg = await post(service, '/api/v1/passkeys/register', passkey.registration());
    assert.equal(reg.status, 200, JSON.stringify(reg.json));
    assert.deepEqual(reg.json, { credential_id: b64(passkey.credentialId), master_public_key: b64(passkey.spki) });
    const session = await login(service, passkey, { subaccount: 2 });
    assert.equal(session.row.master_public_key, b64(passkey.spki));
    assert.equal(session.row.subaccount_index, 2);
    const order = await post(service, '/api/v1/orders', session.key.sign(orderPayload(service.now)), { 'x-device-key': session.deviceKey });
    assert.equal(order.status, 200, JSON.stringify(order.json));
  });

  test('public_key may be omitted', async () => {
    const passkey = new Passkey();
    await post(service, '/api/v1/passkeys/register', passkey.registration());
    const body = createSessionBody({ publicKey: new SessionKey().publicKey, validUntilMs: service.now + 60_000 });
    const envelope = passkey.sign(loginPayload(3, body));
    delete envelope.public_key;
    const a = await post(service, '/api/v1/login', envelope);
    assert.equal(a.status, 200, JSON.stringify(a.json));
  });

  test('registering a credential id twice is a 409', async () => {
    const passkey = new Passkey();
    assert.equal((await post(service, '/api/v1/passkeys/register', passkey.registration())).status, 200);
    const again = await post(service, '/api/v1/passkeys/register', { ...passkey.registration(), public_key_spki: b64(new Passkey().spki) });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'credential_exists');
  });

  const bad: [string, (p: Passkey, bytes: Buffer) => Record<string, string | undefined>, number, string][] = [
    ['wrong type', (p, x) => p.sign(x, { type: 'webauthn.create' }), 401, 'passkey_wrong_type'],
    ['wrong challenge', (p, x) => p.sign(x, { challenge: 'AAAA' }), 401, 'passkey_challenge_mismatch'],
    ['other origin', (p, x) => p.sign(x, { origin: 'https://evil.example' }), 401, 'passkey_origin_not_allowed'],
    ['other rp id', (p, x) => p.sign(x, { rpId: 'evil.example' }), 401, 'passkey_rp_id_mismatch'],
    ['user not present', (p, x) => p.sign(x, { flags: 0x04 }), 401, 'passkey_user_not_present'],
    ['signature of another key', (p, x) => ({ ...p.sign(x), signature: new Passkey().sign(x).signature }), 401, 'bad_signature'],
    ['public_key of another key', (p, x) => ({ ...p.sign(x), public_key: b64(new Passkey().spki) }), 401, 'public_key_mismatch'],
    ['unregistered credential', (p, x) => ({ ...p.sign(x), credential_id: b64(Buffer.alloc(16, 9)) }), 401, 'unknown_credential'],
    ['short authenticator data', (p, x) => ({ ...p.sign(x), authenticator_data: b64(Buffer.alloc(36)) }), 400, 'bad_authenticator_data'],
    ['client data not JSON', (p, x) => ({ ...p.sign(x), client_data_json: b64(Buffer.from('nope')) }), 400, 'bad_client_data'],
    ['missing credential_id', (p, x) => ({ ...p.sign(x), credential_id: undefined }), 400, 'missing_field'],
  ];
  for (const [name, make, status, code] of bad) {
    test(`rejects an assertion with ${name}: ${status} ${code}`, async () => {
      const passkey = new Passkey();
      await post(service, '/api/v1/passkeys/register', passkey.registration());
      const body = createSessionBody({ publicKey: new SessionKey().publicKey, validUntilMs: service.now + 60_000 });
      const envelope = make(passkey, loginPayload(3, body));
      const a = await post(service, '/api/v1/login', JSON.parse(JSON.stringify(envelope)));
      assert.equal(a.status, status, JSON.stringify(a.json));
      assert.equal(a.json.error.code, code);
    });
  }

  const badRegistrations: [string, (r: Record<string, string>) => unknown, string][] = [
    ['an Ed25519 key', (r) => ({ ...r, public_key_spki: b64(Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.alloc(32, 1)])) }), 'bad_public_key'],
    ['garbage SPKI', (r) => ({ ...r, public_key_spki: b64(Buffer.alloc(20, 1)) }), 'bad_public_key'],
    ['an rp id with a scheme', (r) => ({ ...r, rp_id: 'https://localhost' }), 'bad_rp_id'],
    ['an origin with a path', (r) => ({ ...r, origin: 'https://localhost/app' }), 'bad_origin'],
    ['an empty credential id', (r) => ({ ...r, credential_id: '' }), 'bad_credential_id'],
    ['a missing member', (r) => ({ ...r, origin: undefined }), 'missing_field'],
    ['an extra member', (r) => ({ ...r, attestation: 'x' }), 'unexpected_field'],
  ];
  for (const [name, make, code] of badRegistrations) {
    test(`registration with ${name} is a 400 ${code}`, async () => {
      const a = await post(service, '/api/v1/passkeys/register', make(new Passkey().registration()));
      assert.equal(a.status, 400, JSON.stringify(a.json));
      assert.equal(a.json.error.code, code);
    });
  }
});

describe('the master lists and revokes its sessions', () => {
  const list = (master: MasterKey | Passkey) =>
    post(service, '/api/v1/auth/sessions/list', master.sign(payload({
      signatureType: master instanceof Passkey ? 3 : 2, requestType: 47, issuedAtMs: service.now,
    })));
  const revoke = (master: MasterKey | Passkey, id: Uint8Array) =>
    post(service, '/api/v1/auth/sessions/revoke', master.sign(payload({
      signatureType: master instanceof Passkey ? 3 : 2, requestType: 14, body: id, issuedAtMs: service.now,
    })));

  test('list answers the live rows of this master only', async () => {
    const master = new MasterKey();
    const a = await login(service, master);
    const b = await login(service, master, { role: 1, subaccount: 4 });
    await login(service, new MasterKey());
    const answer = await list(master);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, [a.row, b.row]);
  });

  test('revoke removes the session from the list and its orders get 401', async () => {
    const master = new MasterKey();
    const a = await login(service, master);
    const b = await login(service, master);
    const answer = await revoke(master, a.id);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { session_revoked: true });
    assert.deepEqual((await list(master)).json, [b.row]);
    const order = await post(service, '/api/v1/orders', a.key.sign(orderPayload(service.now)), { 'x-device-key': a.deviceKey });
    assert.equal(order.status, 401);
    assert.equal(order.json.error.code, 'session_revoked');
  });

  test('passkey masters list and revoke too', async () => {
    const passkey = new Passkey();
    await post(service, '/api/v1/passkeys/register', passkey.registration());
    const a = await login(service, passkey);
    assert.deepEqual((await list(passkey)).json, [a.row]);
    assert.equal((await revoke(passkey, a.id)).status, 200);
    assert.deepEqual((await list(passkey)).json, []);
  });

  test("revoking another master's session, or an unknown one, is a 404", async () => {
    const other = await login(service, new MasterKey());
    const master = new MasterKey();
    for (const id of [other.id, uuidv7()]) {
      const answer = await revoke(master, id);
      assert.equal(answer.status, 404);
      assert.equal(answer.json.error.code, 'session_not_found');
    }
  });

  test('expired sessions leave the list', async () => {
    const master = new MasterKey();
    await login(service, master, { ttlMs: 1000 });
    const saved = service.now;
    service.now += 1000;
    try {
      assert.deepEqual((await list(master)).json, []);
    } finally {
      service.now = saved;
    }
  });

  test('list with a non-empty body is a 400 bad_body', async () => {
    const master = new MasterKey();
    const answer = await post(service, '/api/v1/auth/sessions/list', master.sign(payload({
      signatureType: 2, requestType: 47, body: Buffer.of(0), issuedAtMs: service.now,
    })));
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.code, 'bad_body');
  });
});
