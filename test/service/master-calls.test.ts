/**
 * The master's list and revoke name their audience (`spec/signing.md` §5.2): a ListSessions or
 * RevokeSession signed for service A and relayed to service B within its 60 s window is refused
 * by B (401 `wrong_audience`) and B's rows stay private; the service's own origins (where it
 * listens, and those it is given) are its audiences; malformed scopes are 400 `bad_body`. Over
 * real HTTP.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startService } from '../../service/server.js';
import { MasterKey, Passkey, login, payload, post, scopeBody, start, uuidText, type TestService } from './helpers.js';

let a: TestService;
let b: TestService;
before(async () => {
  a = await start();
  b = await start({ sites: ['http://localhost:5173'] }); // the test passkeys' origin
});
after(async () => {
  await a.close();
  await b.close();
});

const POPUP = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const listPayload = (service: TestService, audience: string, signatureType = 2): Buffer =>
  payload({ signatureType, requestType: 47, body: scopeBody(audience, POPUP), issuedAtMs: service.now });
const revokePayload = (service: TestService, id: Uint8Array, audience: string): Buffer =>
  payload({ signatureType: 2, requestType: 14, body: Buffer.concat([id, scopeBody(audience, POPUP)]), issuedAtMs: service.now });

describe('a master call names its audience', () => {
  test('a ListSessions signed for A answers at A, and relayed to B within 60 s it is a 401 wrong_audience', async () => {
    const master = new MasterKey();
    const atA = await login(a, master);
    const atB = await login(b, master);
    const forA = master.sign(listPayload(a, a.url));
    // The hostile service holds A's envelope and replays it at B (the same master has sessions there).
    const relayed = await post(b, '/api/v1/auth/sessions/list', forA);
    assert.equal(relayed.status, 401, JSON.stringify(relayed.json));
    assert.equal(relayed.json.error.code, 'wrong_audience');
    assert.match(relayed.json.error.message, new RegExp(`for ${a.url}.*this service is ${b.url}`));
    assert.ok(!JSON.stringify(relayed.json).includes(atB.row.id), "B's rows do not leak");
    const own = await post(a, '/api/v1/auth/sessions/list', forA);
    assert.equal(own.status, 200, JSON.stringify(own.json));
    assert.deepEqual(own.json, [atA.row]);
  });

  test('a master RevokeSession signed for A and relayed to B revokes nothing at B', async () => {
    const master = new MasterKey();
    const atB = await login(b, master);
    const relayed = await post(b, '/api/v1/auth/sessions/revoke', master.sign(revokePayload(b, atB.id, a.url)));
    assert.equal(relayed.status, 401, JSON.stringify(relayed.json));
    assert.equal(relayed.json.error.code, 'wrong_audience');
    assert.equal(b.state.sessions.get(uuidText(atB.id))?.revoked, false);
    const own = await post(b, '/api/v1/auth/sessions/revoke', master.sign(revokePayload(b, atB.id, b.url)));
    assert.equal(own.status, 200, JSON.stringify(own.json));
    assert.equal(b.state.sessions.get(uuidText(atB.id))?.revoked, true);
  });

  test('a passkey master is bound the same way', async () => {
    const passkey = new Passkey();
    await post(b, '/api/v1/passkeys/register', passkey.registration());
    const row = (await login(b, passkey)).row;
    const wrong = await post(b, '/api/v1/auth/sessions/list', passkey.sign(listPayload(b, a.url, 3)));
    assert.equal(wrong.json.error.code, 'wrong_audience');
    const right = await post(b, '/api/v1/auth/sessions/list', passkey.sign(listPayload(b, b.url, 3)));
    assert.deepEqual(right.json, [row]);
  });

  test('on loopback the service answers to both 127.0.0.1 and localhost, not to another port', async () => {
    assert.deepEqual([...a.state.origins].sort(), [`http://127.0.0.1:${a.port}`, `http://localhost:${a.port}`]);
    const master = new MasterKey();
    const row = (await login(a, master)).row;
    for (const audience of [`http://localhost:${a.port}`, `http://127.0.0.1:${a.port}`]) {
      const ok = await post(a, '/api/v1/auth/sessions/list', master.sign(listPayload(a, audience)));
      assert.deepEqual(ok.json, [row], audience);
    }
    for (const audience of [`http://localhost:${b.port}`, `https://127.0.0.1:${a.port}`, `http://[::1]:${a.port}`]) {
      const no = await post(a, '/api/v1/auth/sessions/list', master.sign(listPayload(a, audience)));
      assert.equal(no.json.error.code, 'wrong_audience', audience);
    }
  });

  test("a service's public origin (behind a proxy) is one of its audiences; any other origin is not", async () => {
    const service = await startService({ origins: ['https://api.exchange.example'] });
    try {
      const master = new MasterKey();
      const now = Date.now();
      const sign = (audience: string) => master.sign(payload({ signatureType: 2, requestType: 47, body: scopeBody(audience), issuedAtMs: now }));
      for (const audience of ['https://api.exchange.example', service.url]) {
        const ok = await post(service, '/api/v1/auth/sessions/list', sign(audience));
        assert.equal(ok.status, 200, `${audience}: ${JSON.stringify(ok.json)}`);
        assert.deepEqual(ok.json, []);
      }
      for (const audience of ['https://exchange.example', 'https://api.exchange.example:8443', 'http://api.exchange.example']) {
        assert.equal((await post(service, '/api/v1/auth/sessions/list', sign(audience))).json.error.code, 'wrong_audience', audience);
      }
    } finally {
      await service.close();
    }
  });
});

describe('malformed scopes are a 400 bad_body', () => {
  const ascii = (t: string): Buffer => Buffer.from(t, 'latin1');
  const good = scopeBody('https://api.example', 'https://example.com');
  const cases: [string, Buffer][] = [
    ['an empty body (the old layout)', Buffer.alloc(0)],
    ['audience length 0', Buffer.concat([Buffer.of(0), good.subarray(20)])],
    ['site length 0', Buffer.concat([good.subarray(0, 20), Buffer.of(0)])],
    ['no site', good.subarray(0, 20)],
    ['a truncated site', good.subarray(0, good.length - 1)],
    ['a trailing byte', Buffer.concat([good, Buffer.of(0x61)])],
    ['a non-ASCII audience', scopeBody('https://b\xfccher.example')],
    ['a control byte in the site', scopeBody('https://api.example', 'https://exa\tmple.com')],
    ['an audience with a path', scopeBody('https://api.example/')],
    ['an extension origin as audience', scopeBody('chrome-extension://abc')],
    ['an upper-case site', scopeBody('https://api.example', 'https://Example.com')],
    ['a default port', scopeBody('https://api.example:443')],
    ['a length past the end', Buffer.concat([Buffer.of(200), ascii('https://api.example')])],
  ];
  for (const [why, scope] of cases) {
    test(`ListSessions with ${why}`, async () => {
      const answer = await post(a, '/api/v1/auth/sessions/list', new MasterKey().sign(
        payload({ signatureType: 2, requestType: 47, body: scope, issuedAtMs: a.now }),
      ));
      assert.equal(answer.status, 400, JSON.stringify(answer.json));
      assert.equal(answer.json.error.code, 'bad_body');
    });
  }
  test('a master RevokeSession of 16 bytes only (the session-key layout) or with a bad scope', async () => {
    const master = new MasterKey();
    const { id } = await login(a, master);
    for (const body of [id, Buffer.concat([id, cases[5]![1]]), Buffer.from(id.subarray(0, 15))]) {
      const answer = await post(a, '/api/v1/auth/sessions/revoke', master.sign(payload({ signatureType: 2, requestType: 14, body, issuedAtMs: a.now })));
      assert.equal(answer.status, 400, JSON.stringify(answer.json));
      assert.equal(answer.json.error.code, 'bad_body');
    }
    assert.equal(a.state.sessions.get(uuidText(id))?.revoked, false);
  });
});
