/**
 * Login with a secp256k1 master and with a passkey, passkey registration, and the master's
 * session list and revoke, over real HTTP.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MasterKey, Passkey, SessionKey, b64, createSessionBody, frameOf, login, loginFor, orderPayload, payload, post, scopeBody, start,
  uuidText, uuidv7, type TestService,
} from './helpers.js';

const PASSKEY_SITE = 'http://localhost:5173';
let service: TestService;
before(async () => {
  service = await start({ sites: [PASSKEY_SITE] });
});
after(() => service.close());

const fresh = (master: MasterKey | Passkey, opts: Parameters<typeof loginFor>[4] = {}) =>
  loginFor(service, master, new SessionKey(), uuidv7(service.now), opts);
async function refused(envelope: unknown, status: number, code: string): Promise<void> {
  const a = await post(service, '/api/v1/login', envelope);
  assert.equal(a.status, status, JSON.stringify(a.json));
  assert.equal(a.json.error.code, code);
}

describe('POST /api/v1/login (secp256k1, bound login message)', () => {
  test('answers a device key and the session row the message describes', async () => {
    const master = new MasterKey();
    const key = new SessionKey();
    const id = uuidv7(service.now);
    const message = loginFor(service, master, key, id, { role: 1, subaccount: 7, ttlMs: 86_400_000 });
    const answer = await post(service, '/api/v1/login', master.sign(message));
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.equal(Buffer.from(answer.json.device_key, 'base64').length, 32);
    assert.deepEqual(answer.json.session, {
      id: uuidText(id),
      public_key: b64(key.publicKey),
      role: 'FULL_ACCESS',
      master_public_key: b64(master.publicKey),
      subaccount_index: 7,
      created_at: new Date(service.now).toISOString(),
      valid_until: new Date(service.now + 86_400_000).toISOString(),
    });
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
  });

  test('viem and siwe parse it as a Sign-In with Ethereum message with the site as its domain', async () => {
    const { parseSiweMessage, validateSiweMessage } = await import('viem/siwe');
    const master = new MasterKey();
    const text = fresh(master, { site: 'https://app.exchange.example', audience: 'https://api.exchange.example' }).toString();
    const parsed = parseSiweMessage(text);
    assert.equal(parsed.domain, 'app.exchange.example');
    assert.equal(parsed.scheme, 'https');
    assert.equal(parsed.address, master.address);
    assert.equal(parsed.chainId, 1);
    assert.match(parsed.uri ?? '', /^did:key:z6Mk/);
    assert.match(parsed.resources?.[0] ?? '', /^urn:recap:/);
    assert.ok(validateSiweMessage({ message: parsed, address: master.address as `0x${string}`, domain: 'app.exchange.example', time: new Date(service.now) }));
    assert.ok(!validateSiweMessage({ message: parsed, domain: 'evil.example', time: new Date(service.now) }), 'a wallet domain check fails at another site');
  });

  test('a login for another audience is refused: a relayed login never works here (attack 1)', async () => {
    const master = new MasterKey();
    await refused(master.sign(fresh(master, { audience: 'https://evil-service.example' })), 401, 'wrong_audience');
  });

  test('a login for a site this service does not serve is refused (attack 3)', async () => {
    const master = new MasterKey();
    await refused(master.sign(fresh(master, { site: 'https://evil.example' })), 401, 'site_not_served');
  });

  test('a nonce is single use: the same login twice is a 409', async () => {
    const master = new MasterKey();
    const envelope = master.sign(fresh(master));
    assert.equal((await post(service, '/api/v1/login', envelope)).status, 200);
    await refused(envelope, 409, 'replayed_login');
  });

  test('a session id or key used before is a 409', async () => {
    const master = new MasterKey();
    const first = await login(service, master);
    await refused(master.sign(loginFor(service, master, new SessionKey(), first.id)), 409, 'session_exists');
    await refused(master.sign(loginFor(service, master, first.key, uuidv7(service.now))), 409, 'session_key_in_use');
  });

  test('a session that ends before now is a 400', async () => {
    const master = new MasterKey();
    await refused(master.sign(fresh(master, { ttlMs: -1 })), 400, 'session_already_expired');
  });

  test('an expired login is a 401', async () => {
    const master = new MasterKey();
    const envelope = master.sign(fresh(master));
    const saved = service.now;
    service.now += 60_001;
    try {
      await refused(envelope, 401, 'auth_expired');
    } finally {
      service.now = saved;
    }
  });

  test('a signature recovering to another key is a 401, and a key that is not the named account is a 401', async () => {
    const envelope = new MasterKey().sign(fresh(new MasterKey()));
    await refused({ ...envelope, public_key: b64(new MasterKey().publicKey) }, 401, 'bad_signature');
    const signer = new MasterKey();
    await refused(signer.sign(fresh(new MasterKey())), 401, 'address_mismatch');
  });

  test('an edited statement, terms or an old binary CreateSession payload is a 400', async () => {
    const master = new MasterKey();
    const text = fresh(master).toString();
    for (const edited of [
      text.replace('trading only', 'view only'),
      text.replace('Version: 1', 'Version: 2'),
      text + '\n',
      text.replace(/\nResources:\n- urn:recap:\S+$/, ''),
    ]) {
      await refused(master.sign(Buffer.from(edited)), 400, 'bad_login_message');
    }
    const binary = payload({ signatureType: 2, requestType: 0x8001, body: createSessionBody({ publicKey: new SessionKey().publicKey, validUntilMs: service.now + 60_000 }), issuedAtMs: service.now });
    await refused(master.sign(binary), 400, 'bad_login_message');
  });

  test('a binary frame is not a login (415)', async () => {
    const master = new MasterKey();
    const a = await post(service, '/api/v1/login', frameOf(master.sign(fresh(master))));
    assert.equal(a.status, 415);
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
    const envelope = passkey.sign(fresh(passkey));
    delete envelope.public_key;
    const a = await post(service, '/api/v1/login', envelope);
    assert.equal(a.status, 200, JSON.stringify(a.json));
  });

  test('a passkey login that names another site than the passkey\'s origin is refused', async () => {
    const passkey = new Passkey();
    await post(service, '/api/v1/passkeys/register', passkey.registration());
    await refused(passkey.sign(fresh(passkey, { site: service.url })), 401, 'wrong_site');
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
      const envelope = make(passkey, fresh(passkey));
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
      signatureType: master instanceof Passkey ? 3 : 2, requestType: 47, body: scopeBody(service.url), issuedAtMs: service.now,
    })));
  const revoke = (master: MasterKey | Passkey, id: Uint8Array) =>
    post(service, '/api/v1/auth/sessions/revoke', master.sign(payload({
      signatureType: master instanceof Passkey ? 3 : 2, requestType: 14, body: Buffer.concat([id, scopeBody(service.url)]), issuedAtMs: service.now,
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

  test('list with a body that is not a scope is a 400 bad_body', async () => {
    const master = new MasterKey();
    const answer = await post(service, '/api/v1/auth/sessions/list', master.sign(payload({
      signatureType: 2, requestType: 47, body: Buffer.of(0), issuedAtMs: service.now,
    })));
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.code, 'bad_body');
  });
});
