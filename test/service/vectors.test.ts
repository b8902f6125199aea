/**
 * The service verifies the golden vectors of `test/vectors/signing.json` over HTTP: it logs in
 * the vectors' session key with the secp256k1 CreateSession vectors, then checks every Ed25519
 * vector (JSON envelope on one instance, binary frame on another, since each request id is
 * accepted once) and the passkey vector through `POST /api/v1/verify`. The clock is set to each
 * vector's issued_at_ms.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { b64, post, sha256, start, uuidText, type Answer, type TestService } from './helpers.js';

interface Vector {
  name: string;
  inputs: {
    session_public_key?: string;
    signature_type: number;
    request_type: number;
    request_id: string;
    body?: string;
    body_pattern?: string;
    body_length?: number;
    body_fields?: Record<string, unknown>;
    issued_at_ms: number;
    expires_at_ms: number;
  };
  payload?: string;
  payload_sha256?: string;
  public_key: string;
  signature: string;
  frame?: string;
  frame_sha256?: string;
  envelope?: Record<string, string>;
}

const file = JSON.parse(readFileSync(new URL('../vectors/signing.json', import.meta.url), 'utf8')) as {
  keys: { p256_passkey: { public_key_spki: string } };
  vectors: Vector[];
};
const byName = (name: string): Vector => file.vectors.find((v) => v.name === name)!;
const ed25519 = file.vectors.filter((v) => v.inputs.signature_type === 1);

function bodyOf(v: Vector): Buffer {
  if (v.inputs.body_pattern === 'i mod 256') return Buffer.from(Array.from({ length: v.inputs.body_length! }, (_, i) => i % 256));
  return Buffer.from(v.inputs.body!, 'hex');
}

/** The vector's payload; for the 64 KiB vector, rebuilt and checked against its SHA-256. */
function payloadOf(v: Vector): Buffer {
  if (v.payload !== undefined) return Buffer.from(v.payload, 'base64');
  const body = bodyOf(v);
  const p = Buffer.alloc(40 + body.length);
  p[0] = 1;
  p[1] = v.inputs.signature_type;
  p.writeUInt16LE(v.inputs.request_type, 2);
  p.writeUInt32LE(body.length, 4);
  Buffer.from(v.inputs.request_id, 'hex').copy(p, 8);
  body.copy(p, 24);
  p.writeBigUInt64LE(BigInt(v.inputs.issued_at_ms), 24 + body.length);
  p.writeBigUInt64LE(BigInt(v.inputs.expires_at_ms), 32 + body.length);
  assert.equal(sha256(p).toString('hex'), v.payload_sha256);
  return p;
}

function frameOf(v: Vector): Buffer {
  if (v.frame !== undefined) return Buffer.from(v.frame, 'base64');
  const p = payloadOf(v);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(p.length);
  const f = Buffer.concat([len, p, Buffer.of(32), Buffer.from(v.public_key, 'base64'), Buffer.of(64), Buffer.from(v.signature, 'base64')]);
  assert.equal(sha256(f).toString('hex'), v.frame_sha256);
  return f;
}

const envelopeOf = (v: Vector) => ({ payload: b64(payloadOf(v)), public_key: v.public_key, signature: v.signature });

/** The vectors' service: its audience and site, as the login vectors name them. */
const VECTOR_SERVICE = { origins: ['https://api.exchange.example'], sites: ['https://app.exchange.example'] };

/** Logs a login vector in (logins travel only as JSON, spec/service.md §7.2). */
async function loginWith(service: TestService, v: Vector): Promise<Answer> {
  service.now = v.inputs.issued_at_ms;
  return post(service, '/api/v1/login', v.envelope);
}

function assertDecoded(a: Answer, v: Vector): void {
  assert.equal(a.status, 200, `${v.name}: ${JSON.stringify(a.json)}`);
  assert.equal(a.json.signature_type, v.inputs.signature_type);
  assert.equal(a.json.request_type, v.inputs.request_type);
  assert.equal(a.json.request_id, uuidText(Buffer.from(v.inputs.request_id, 'hex')));
  assert.equal(a.json.body, b64(bodyOf(v)));
  assert.equal(a.json.issued_at_ms, v.inputs.issued_at_ms);
  assert.equal(a.json.expires_at_ms, v.inputs.expires_at_ms);
}

for (const transport of ['json', 'frame'] as const) {
  describe(`golden vectors, ${transport === 'json' ? 'JSON envelope' : 'binary frame'}`, () => {
    let service: TestService;
    let deviceKey: string;
    before(async () => {
      service = await start(VECTOR_SERVICE);
    });
    after(() => service.close());

    test('login-secp256k1 logs in the vectors\' Ed25519 key', async () => {
      const v = byName('login-secp256k1');
      const a = await loginWith(service, v);
      assert.equal(a.status, 200, JSON.stringify(a.json));
      deviceKey = a.json.device_key;
      assert.deepEqual(a.json.session, {
        id: '01977420-f758-7abc-8000-000000000abc',
        public_key: b64(Buffer.from(String(v.inputs.session_public_key), 'hex')),
        role: 'TRADING_ONLY',
        master_public_key: v.envelope!.public_key,
        subaccount_index: 3,
        created_at: new Date(v.inputs.issued_at_ms).toISOString(),
        valid_until: new Date(1750604800000).toISOString(),
      });
    });

    for (const v of ed25519) {
      test(`${v.name} verifies`, async () => {
        service.now = v.inputs.issued_at_ms;
        const body = transport === 'json' ? envelopeOf(v) : frameOf(v);
        const a = await post(service, '/api/v1/verify', body, { 'x-device-key': deviceKey });
        assertDecoded(a, v);
        assert.equal(a.json.signer, 'session');
        assert.equal(a.json.session_id, '01977420-f758-7abc-8000-000000000abc');
      });
    }

    test('each vector with one signature bit flipped is a 401 bad_signature', async () => {
      for (const v of ed25519) {
        service.now = v.inputs.issued_at_ms;
        const sig = Buffer.from(v.signature, 'base64');
        sig[0]! ^= 1;
        const e = { ...envelopeOf(v), signature: b64(sig) };
        const a = await post(service, '/api/v1/verify', e, { 'x-device-key': deviceKey });
        assert.equal(a.status, 401, v.name);
        assert.equal(a.json.error.code, 'bad_signature');
      }
    });
  });
}

describe('golden vectors, other schemes', () => {
  let service: TestService;
  before(async () => {
    service = await start(VECTOR_SERVICE);
  });
  after(() => service.close());

  test('login-secp256k1-full-access: FULL_ACCESS, whole account', async () => {
    const v = byName('login-secp256k1-full-access');
    const a = await loginWith(service, v);
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.equal(a.json.session.id, '01977420-fb40-7def-8000-000000000def');
    assert.equal(a.json.session.role, 'FULL_ACCESS');
    assert.equal(a.json.session.subaccount_index, null);
    assert.equal(a.json.session.valid_until, new Date(1750086400000).toISOString());
  });

  test('a login vector at another service, or for a site it does not serve, is refused', async () => {
    const other = await start({ sites: ['https://app.exchange.example'] });
    try {
      const v = byName('login-secp256k1');
      other.now = v.inputs.issued_at_ms;
      const a = await post(other, '/api/v1/login', v.envelope);
      assert.equal(a.status, 401);
      assert.equal(a.json.error.code, 'wrong_audience');
    } finally {
      await other.close();
    }
    const noSite = await start({ origins: ['https://api.exchange.example'] });
    try {
      const v = byName('login-secp256k1');
      noSite.now = v.inputs.issued_at_ms;
      const a = await post(noSite, '/api/v1/login', v.envelope);
      assert.equal(a.status, 401);
      assert.equal(a.json.error.code, 'site_not_served');
    } finally {
      await noSite.close();
    }
  });

  test('the master-call vectors pass their endpoints at their audience only', async () => {
    const list = byName('list-sessions-secp256k1');
    const revoke = byName('revoke-session-secp256k1');
    for (const v of [list, revoke]) {
      const audience = String(v.inputs.body_fields!.audience);
      const path = v === list ? '/api/v1/auth/sessions/list' : '/api/v1/auth/sessions/revoke';
      const at = await start({ origins: [audience] });
      const elsewhere = await start();
      try {
        at.now = elsewhere.now = v.inputs.issued_at_ms;
        const refused = await post(elsewhere, path, envelopeOf(v));
        assert.equal(refused.status, 401, `${v.name}: ${JSON.stringify(refused.json)}`);
        assert.equal(refused.json.error.code, 'wrong_audience');
        const answer = await post(at, path, frameOf(v));
        // The vectors' master has no session at this fresh instance: an empty list, an unknown id.
        if (v === list) assert.deepEqual([answer.status, answer.json], [200, []]);
        else assert.deepEqual([answer.status, answer.json.error.code], [404, 'session_not_found']);
      } finally {
        await at.close();
        await elsewhere.close();
      }
    }
  });

  test('passkey-revoke-session verifies once its credential is registered', async () => {
    const v = byName('passkey-revoke-session');
    const envelope = v.envelope!;
    const origin = JSON.parse(Buffer.from(envelope.client_data_json!, 'base64').toString()).origin as string;
    const reg = await post(service, '/api/v1/passkeys/register', {
      credential_id: envelope.credential_id,
      public_key_spki: b64(Buffer.from(file.keys.p256_passkey.public_key_spki, 'hex')),
      rp_id: 'keyhold.invalid',
      origin,
    });
    assert.equal(reg.status, 200, JSON.stringify(reg.json));
    service.now = v.inputs.issued_at_ms;
    const a = await post(service, '/api/v1/verify', envelope);
    assertDecoded(a, v);
    assert.equal(a.json.signer, 'master');
    assert.equal(a.json.master_public_key, envelope.public_key);
  });
});
