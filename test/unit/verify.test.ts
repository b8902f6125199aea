/**
 * `@keyhold/verify` (packages/verify) in Node: the golden vectors (envelope and frame), each
 * signature scheme, tampering, the auth window with its clock skew, replays (also concurrent),
 * a failing replay store, malformed input, the policy's key check, and both adapters (Fetch
 * `Request`, Node http middleware). Payloads are built and signed by the test helpers of the
 * reference service (node:crypto and noble), not by the package.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import {
  MemoryReplayGuard,
  Verifier,
  VerifyError,
  keyholdMiddleware,
  parseEnvelope,
  parseFrame,
  verify,
  withVerification,
  type NodeRequestLike,
  type ReplayGuard,
  type Signer,
} from '../../packages/verify/src/index.js';
import { MasterKey, Passkey, SessionKey, b64, frameOf, payload, type Envelope } from '../service/helpers.js';

interface Vector {
  name: string;
  inputs: { signature_type: number; request_type: number; issued_at_ms: number; expires_at_ms: number; site: string; audience: string; session_id: string; role: string; subaccount_index: number | null; request_types: number[] | null; valid_until_ms: number; address: string; session_public_key: string };
  message?: string;
  payload?: string;
  public_key?: string;
  signature?: string;
  frame?: string;
  envelope?: Record<string, string>;
}
const file = JSON.parse(readFileSync(new URL('../vectors/signing.json', import.meta.url), 'utf8')) as {
  keys: { secp256k1: { public_key_compressed: string; address: string }; p256_passkey: { public_key_spki: string } };
  vectors: Vector[];
};

const T = 1_750_000_000_000;
const json = (e: Envelope) => new TextEncoder().encode(JSON.stringify(e));
const isErr = (status: number, code: string) => (e: unknown) => e instanceof VerifyError && e.status === status && e.code === code;
const orderAt = (now: number, extra: Parameters<typeof payload>[0] extends infer P ? Partial<P> : never = {}) =>
  payload({ signatureType: 1, requestType: 1, body: Buffer.from('{"side":"buy","qty":1}'), issuedAtMs: now, ...extra });

describe('verify: golden vectors', () => {
  const passkey = { publicKeySpki: Buffer.from(file.keys.p256_passkey.public_key_spki, 'hex'), rpId: 'keyhold.invalid', origin: 'https://keyhold.invalid' };
  for (const v of file.vectors.filter((x) => x.message === undefined && (x.payload !== undefined || x.envelope !== undefined))) {
    test(v.name, async () => {
      const verifier = new Verifier({ clock: () => v.inputs.issued_at_ms, passkeys: (id) => (id === v.envelope?.credential_id ? passkey : null) });
      const envelope = v.envelope ?? { payload: v.payload!, public_key: v.public_key!, signature: v.signature! };
      const r = await verifier.verifySigned(parseEnvelope(envelope), { signer: 'any' });
      assert.equal(r.requestType, v.inputs.request_type);
      assert.equal(r.signatureType, v.inputs.signature_type);
      assert.equal(r.issuedAtMs, v.inputs.issued_at_ms);
      if (r.signer.scheme === 'secp256k1') {
        assert.equal(r.signer.address, file.keys.secp256k1.address);
        assert.equal(Buffer.from(r.signer.publicKey).toString('hex'), file.keys.secp256k1.public_key_compressed);
      }
      if (v.frame !== undefined) {
        const fromFrame = await new Verifier({ clock: () => v.inputs.issued_at_ms }).verifySigned(parseFrame(Buffer.from(v.frame, 'base64')), { signer: 'any' });
        assert.deepEqual(fromFrame.payload, r.payload);
      }
    });
  }
});

describe('verify: logins (the bound login message)', () => {
  const logins = file.vectors.filter((x) => x.message !== undefined);
  const body = (e: Record<string, string>) => new TextEncoder().encode(JSON.stringify(e));
  const policyOf = (v: Vector) => ({ audience: v.inputs.audience, sites: [v.inputs.site] });

  test('the login vectors verify: site, audience, session terms and the named account', async () => {
    assert.ok(logins.length >= 2);
    for (const v of logins) {
      const r = await new Verifier({ clock: () => v.inputs.issued_at_ms }).verifyLogin('application/json', body(v.envelope!), policyOf(v));
      assert.equal(r.site, v.inputs.site);
      assert.equal(r.audience, v.inputs.audience);
      assert.equal(r.sessionId, v.inputs.session_id);
      assert.equal(Buffer.from(r.publicKey).toString('hex'), v.inputs.session_public_key);
      assert.equal(r.role, v.inputs.role);
      assert.equal(r.subaccountIndex, v.inputs.subaccount_index);
      assert.deepEqual(r.requestTypes, v.inputs.request_types);
      assert.equal(r.validUntilMs, v.inputs.valid_until_ms);
      assert.equal(r.message, v.message);
      assert.equal(r.master.scheme === 'secp256k1' && r.master.address, v.inputs.address.toLowerCase());
    }
  });

  test('another audience, a site not served, a reused nonce, another account, a tampered message and an expired one are refused', async () => {
    const v = logins[0]!;
    const at = (now: number) => new Verifier({ clock: () => now });
    await assert.rejects(at(T).verifyLogin('application/json', body(v.envelope!), { ...policyOf(v), audience: 'https://api.other.example' }), isErr(401, 'wrong_audience'));
    await assert.rejects(at(v.inputs.issued_at_ms).verifyLogin('application/json', body(v.envelope!), { ...policyOf(v), sites: (site) => site === 'https://else.example' }), isErr(401, 'site_not_served'));
    const once = at(v.inputs.issued_at_ms);
    await once.verifyLogin('application/json', body(v.envelope!), policyOf(v));
    await assert.rejects(once.verifyLogin('application/json', body(v.envelope!), policyOf(v)), isErr(409, 'replayed_login'));
    const message = Buffer.from(v.envelope!.payload!, 'base64');
    const other = new MasterKey().sign(message);
    await assert.rejects(at(v.inputs.issued_at_ms).verifyLogin('application/json', body({ payload: other.payload, public_key: other.public_key!, signature: other.signature }), policyOf(v)), isErr(401, 'address_mismatch'));
    const tampered = Buffer.from(v.message!.replace('KeyholdVector0001', 'KeyholdVector0002'));
    await assert.rejects(at(v.inputs.issued_at_ms).verifyLogin('application/json', body({ ...v.envelope!, payload: b64(tampered) }), policyOf(v)), isErr(401, 'bad_signature'));
    await assert.rejects(at(v.inputs.expires_at_ms + 5_001).verifyLogin('application/json', body(v.envelope!), policyOf(v)), isErr(401, 'auth_expired'));
    await assert.rejects(at(v.inputs.issued_at_ms).verifyLogin('application/json', body({ ...v.envelope!, payload: b64(Buffer.from('hello')) }), policyOf(v)), isErr(400, 'bad_login_message'));
    await assert.rejects(at(v.inputs.issued_at_ms).verifyLogin('application/octet-stream', body(v.envelope!), policyOf(v)), isErr(415, 'unsupported_media_type'));
  });
});

describe('verify: signatures', () => {
  test('an Ed25519 session signature verifies; a flipped payload bit or signature bit does not', async () => {
    const key = new SessionKey();
    const e = key.sign(orderAt(T));
    const ok = await new Verifier({ clock: () => T }).verifyBody('application/json', json(e));
    assert.equal(ok.signer.kind, 'session');
    assert.equal(new TextDecoder().decode(ok.body), '{"side":"buy","qty":1}');
    for (const field of ['payload', 'signature'] as const) {
      const bytes = Buffer.from(e[field]!, 'base64');
      bytes[field === 'payload' ? 30 : 5]! ^= 1;
      await assert.rejects(new Verifier({ clock: () => T }).verifyBody('application/json', json({ ...e, [field]: b64(bytes) })), isErr(401, 'bad_signature'));
    }
  });

  test('a secp256k1 master signature (EIP-191) verifies; another key, high s and a bad v do not', async () => {
    const master = new MasterKey();
    const p = payload({ signatureType: 2, requestType: 47, issuedAtMs: T });
    const e = master.sign(p);
    const r = await new Verifier({ clock: () => T }).verifyBody('application/json', json(e), { signer: 'master', requestType: 47 });
    assert.equal(r.signer.publicKeyBase64, b64(master.publicKey));
    const other = { ...e, public_key: b64(new MasterKey().publicKey) };
    await assert.rejects(new Verifier({ clock: () => T }).verifyBody('application/json', json(other), { signer: 'master' }), isErr(401, 'bad_signature'));
    const sig = Buffer.from(e.signature, 'base64');
    const s = secp256k1.Point.Fn.neg(secp256k1.Point.Fn.fromBytes(sig.subarray(32, 64)));
    const high = Buffer.concat([sig.subarray(0, 32), Buffer.from(secp256k1.Point.Fn.toBytes(s)), Buffer.of(sig[64] === 27 ? 28 : 27)]);
    await assert.rejects(new Verifier({ clock: () => T }).verifyBody('application/json', json({ ...e, signature: b64(high) }), { signer: 'master' }), isErr(401, 'bad_signature'));
    sig[64] = 29;
    await assert.rejects(new Verifier({ clock: () => T }).verifyBody('application/json', json({ ...e, signature: b64(sig) }), { signer: 'master' }), isErr(400, 'bad_signature_v'));
  });

  test('a passkey assertion verifies against its registered credential; wrong origin, rp id, challenge and unknown credential do not', async () => {
    const pk = new Passkey();
    const p = payload({ signatureType: 3, requestType: 47, issuedAtMs: T });
    const credential = { publicKeySpki: pk.spki, rpId: pk.rpId, origin: pk.origin };
    const verifier = () => new Verifier({ clock: () => T, passkeys: (id) => (id === b64(pk.credentialId) ? credential : undefined) });
    const r = await verifier().verifyBody('application/json', json(pk.sign(p)), { signer: 'master' });
    assert.equal(r.signer.scheme, 'passkey');
    const cases: [Parameters<Passkey['sign']>[1], number, string][] = [
      [{ origin: 'https://evil.example' }, 401, 'passkey_origin_not_allowed'],
      [{ rpId: 'evil.example' }, 401, 'passkey_rp_id_mismatch'],
      [{ challenge: 'AAAA' }, 401, 'passkey_challenge_mismatch'],
      [{ type: 'webauthn.create' }, 401, 'passkey_wrong_type'],
      [{ flags: 0x04 }, 401, 'passkey_user_not_present'],
    ];
    for (const [tamper, status, code] of cases) {
      await assert.rejects(verifier().verifyBody('application/json', json(pk.sign(p, tamper)), { signer: 'master' }), isErr(status, code), code);
    }
    await assert.rejects(verifier().verifyBody('application/json', json(new Passkey().sign(p)), { signer: 'master' }), isErr(401, 'unknown_credential'));
  });
});

describe('verify: window, replay, policy', () => {
  test('the auth window holds with the stated clock skew (default 5 s each way)', async () => {
    const key = new SessionKey();
    const at = (now: number, p: Buffer) => new Verifier({ clock: () => now }).verifyBody('application/json', json(key.sign(p)));
    await at(T + 65_000, orderAt(T));
    await assert.rejects(at(T + 65_001, orderAt(T)), isErr(401, 'auth_expired'));
    await at(T - 5_000, orderAt(T));
    await assert.rejects(at(T - 5_001, orderAt(T)), isErr(401, 'auth_not_yet_valid'));
    await assert.rejects(at(T, orderAt(T, { expiresAtMs: T + 60_001 })), isErr(401, 'auth_window_invalid'));
    await assert.rejects(at(T, orderAt(T, { expiresAtMs: T })), isErr(401, 'auth_window_invalid'));
    const lenient = new Verifier({ clock: () => T + 90_000, clockSkew: { behindMs: 30_000 } });
    await lenient.verifyBody('application/json', json(key.sign(orderAt(T))));
  });

  test('a request id is accepted once, also when the same request arrives concurrently', async () => {
    const key = new SessionKey();
    const verifier = new Verifier({ clock: () => T });
    const body = json(key.sign(orderAt(T)));
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => verifier.verifyBody('application/json', body)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results.filter((x) => x.status === 'rejected')) assert.ok(isErr(409, 'replayed_request')((r as PromiseRejectedResult).reason));
    // The same payload as a frame is the same request.
    await assert.rejects(verifier.verifyBody('application/octet-stream', frameOf(key.sign(orderAt(T, { requestId: Buffer.from(JSON.parse(new TextDecoder().decode(body)).payload, 'base64').subarray(8, 24) })))), isErr(409, 'replayed_request'));
  });

  test('the memory guard forgets ids after their expiry and fails closed when full', () => {
    const guard = new MemoryReplayGuard({ maxEntries: 2 });
    assert.equal(guard.claim('a', T + 10, T), true);
    assert.equal(guard.claim('a', T + 10, T + 5), false);
    assert.equal(guard.claim('b', T + 10, T), true);
    assert.throws(() => guard.claim('c', T + 10, T + 1), isErr(503, 'replay_store_full'));
    assert.equal(guard.claim('c', T + 100, T + 11), true, 'expired ids were pruned');
    assert.equal(guard.claim('a', T + 100, T + 12), true, 'an expired id may come back: the window rejects it anyway');
  });

  test('a replay store that fails refuses the request (503), and claims once per request', async () => {
    const keys: string[] = [];
    const failing: ReplayGuard = { claim: async () => { throw new Error('redis down'); } };
    const recording: ReplayGuard = { claim: (k, exp, now) => (keys.push(`${k}:${exp - now}`), true) };
    const p = orderAt(T);
    await assert.rejects(new Verifier({ clock: () => T, replayGuard: failing }).verifyBody('application/json', json(new SessionKey().sign(p))), isErr(503, 'replay_store_unavailable'));
    await new Verifier({ clock: () => T, replayGuard: recording }).verifyBody('application/json', json(new SessionKey().sign(p)));
    assert.deepEqual(keys, [`${p.subarray(8, 24).toString('hex')}:65000`], 'id hex, remembered until expires_at + skew');
  });

  test('request type, signer kind and the service key check are enforced before the signature', async () => {
    const key = new SessionKey();
    const e = key.sign(orderAt(T));
    const v = () => new Verifier({ clock: () => T });
    await assert.rejects(v().verifyBody('application/json', json(e), { requestType: [2, 14] }), isErr(400, 'wrong_request_type'));
    await assert.rejects(v().verifyBody('application/json', json(e), { signer: 'master' }), isErr(400, 'wrong_signature_type'));
    const seen: Signer[] = [];
    const refuse = (s: Signer) => {
      seen.push(s);
      throw new VerifyError(401, 'unknown_session', 'no session has this public_key');
    };
    const bad = { ...e, signature: b64(Buffer.alloc(64)) };
    await assert.rejects(v().verifyBody('application/json', json(bad), { authorize: refuse }), isErr(401, 'unknown_session'), 'the key check comes before the signature');
    assert.equal(seen[0]!.publicKeyBase64, b64(key.publicKey));
    const r = await v().verifyBody('application/json', json(e), { requestType: 1, authorize: () => ({ sessionId: 'S' }) });
    assert.deepEqual(r.context, { sessionId: 'S' });
  });

  test('malformed input is a 400/415/413 with a stable code', async () => {
    const key = new SessionKey();
    const e = key.sign(orderAt(T));
    const frame = frameOf(e);
    const cases: [string, Uint8Array, number, string][] = [
      ['text/plain', json(e), 415, 'unsupported_media_type'],
      ['application/json', new TextEncoder().encode('[1]'), 400, 'bad_json'],
      ['application/json', json({ ...e, extra: 'AA==' }), 400, 'unexpected_field'],
      ['application/json', json({ payload: e.payload, signature: e.signature }), 400, 'missing_field'],
      ['application/json', json({ ...e, payload: 'Zh==' }), 400, 'bad_base64'],
      ['application/json', json({ ...e, public_key: b64(Buffer.alloc(31)) }), 400, 'bad_public_key_length'],
      ['application/json', json({ ...e, payload: b64(Buffer.alloc(39)) }), 400, 'payload_too_short'],
      ['application/octet-stream', Buffer.concat([frame, Buffer.of(0)]), 400, 'bad_frame'],
      ['application/octet-stream', frame.subarray(0, frame.length - 1), 400, 'bad_frame'],
      ['application/json', new Uint8Array(131_073), 413, 'body_too_large'],
    ];
    for (const [type, body, status, code] of cases) {
      await assert.rejects(new Verifier({ clock: () => T }).verifyBody(type, body), isErr(status, code), code);
    }
    const version = Buffer.from(e.payload, 'base64');
    version[0] = 2;
    await assert.rejects(new Verifier({ clock: () => T }).verifyBody('application/json', json({ ...e, payload: b64(version) })), isErr(400, 'unsupported_version'));
  });
});

describe('verify: adapters', () => {
  test('Fetch: verify(request) accepts a signed Request; withVerification answers refusals with their status', async () => {
    const key = new SessionKey();
    const now = Date.now();
    const req = (e: Envelope) => new Request('https://api.example/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(e) });
    const e = key.sign(orderAt(now));
    const r = await verify(req(e), { requestType: 1 });
    assert.equal(r.signer.publicKeyBase64, b64(key.publicKey));
    await assert.rejects(verify(req(e), { requestType: 1 }), isErr(409, 'replayed_request'), 'the shared verifier remembers ids');
    const handler = withVerification(new Verifier(), { requestType: 1 }, (v) => Response.json({ id: v.requestId }));
    const fresh = key.sign(orderAt(now));
    assert.equal((await handler(req(fresh))).status, 200);
    const replay = await handler(req(fresh));
    assert.equal(replay.status, 409);
    assert.deepEqual(await replay.json(), { error: { code: 'replayed_request', message: 'this request_id was already used' } });
    const big = new Request('https://api.example/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(200_000) });
    assert.equal((await handler(big)).status, 413);
  });

  test('Node http: the middleware sets req.keyhold and answers refusals', async () => {
    const verifier = new Verifier();
    const mw = keyholdMiddleware(verifier, { requestType: 1 });
    const server = createServer((req, res) => {
      mw(req as unknown as NodeRequestLike, res, (err) => {
        if (err) throw err;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ requestId: (req as unknown as NodeRequestLike).keyhold!.requestId }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
    try {
      const key = new SessionKey();
      const e = key.sign(orderAt(Date.now()));
      const post = (body: string | Uint8Array<ArrayBuffer>, type = 'application/json') => fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
      const ok = await post(JSON.stringify(e));
      assert.equal(ok.status, 200);
      assert.match(((await ok.json()) as { requestId: string }).requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      assert.equal((await post(JSON.stringify(e))).status, 409);
      const frame = await post(new Uint8Array(frameOf(key.sign(orderAt(Date.now())))), 'application/octet-stream');
      assert.equal(frame.status, 200);
      const tampered = await post(JSON.stringify({ ...e, signature: b64(Buffer.alloc(64, 1)) }));
      assert.equal(tampered.status, 401);
      assert.equal(((await tampered.json()) as { error: { code: string } }).error.code, 'bad_signature');
    } finally {
      server.close();
    }
  });
});
