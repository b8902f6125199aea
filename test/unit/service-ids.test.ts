/**
 * Services that assign their own session ids (issue 11 §3): a login answer whose `session.id`
 * is the service's own UUID, naming this session's key, is accepted; Keyhold keeps that id
 * beside its own, shows it to the page, names it in the logout's RevokeSession body (at once
 * and on a retry), and matches the master's ListSessions rows and revocations by it. An answer
 * with another id and no key, or another key, is refused. The reference service assigning ids
 * is exercised end to end in test/e2e/service.test.ts.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { addr } from 'micro-eth-signer';
import { decideApproval } from '../../background/approvals/decide.js';
import { servePagePort } from '../../background/router/page-port.js';
import { listAtService, revokeAtService } from '../../background/services/master-calls.js';
import type { PageResponse } from '../../src/protocol/envelope.js';
import type { JsonEnvelope, SessionInfo } from '../../src/protocol/page-api.js';
import { decodeMasterRevokeSession, decodeRevokeSession } from '../../src/wire/bodies.js';
import { didKeyPublicKey } from '../../src/wire/login-message.js';
import { personalSignHash } from '../../src/wire/digests.js';
import { decodePayload } from '../../src/wire/payload.js';
import { uuidToString } from '../../src/wire/uuidv7.js';
import { FakeWorkerPort, ORIGIN_A, b64, makeDeps, toB64, until, type TestDeps } from './fakes.js';

const BASE = 'http://127.0.0.1:8788';
const MASTER = secp256k1.utils.randomSecretKey();
const MASTER_ADDRESS = addr.fromPrivateKey(MASTER);
const DEVICE_KEY = toB64(new Uint8Array(32).fill(3));
const SERVICE_ID = '6f1c2a9e-3b7d-4e21-9a44-0c5d8e7f1a2b';
const HARDHAT = 'test test test test test test test test test test test junk';

let nextId = 0;
async function ask(port: FakeWorkerPort, method: string, params?: unknown): Promise<PageResponse> {
  const id = `i.${nextId++}`;
  port.send({ requests: [{ id, method, params }] });
  await until(() => port.posted.some((m) => m.responses.some((r) => r.id === id)), method);
  return port.posted.flatMap((m) => m.responses).find((r) => r.id === id)!;
}
const result = <T>(r: PageResponse): T => {
  assert.ok('result' in r, `expected a result, got ${JSON.stringify(r)}`);
  return r.result as T;
};

function personalSign(payload: Uint8Array): string {
  const rec = secp256k1.sign(personalSignHash(payload), MASTER, { prehash: false, format: 'recovered' });
  return `0x${Buffer.concat([rec.subarray(1), Buffer.of(27 + rec[0]!)]).toString('hex')}`;
}

/** The login message's session key (its URI, a did:key) and Keyhold's proposed id (its Request ID). */
function loginOf(json: unknown): { key: string; id: string } {
  const text = Buffer.from((json as JsonEnvelope).payload, 'base64').toString();
  return { key: toB64(didKeyPublicKey(/\nURI: (\S+)\n/.exec(text)![1]!)), id: /\nRequest ID: (\S+)\n/.exec(text)![1]! };
}

/** A service that assigns `SERVICE_ID` at login (its row names the key), and confirms logouts. */
function assigningService(deps: TestDeps, row: (key: string) => Record<string, unknown> = (key) => ({ id: SERVICE_ID, public_key: key })): void {
  deps.fakeHttp.respond = (url, json) => {
    if (url.endsWith('/api/v1/login')) {
      const { key } = loginOf(json);
      return { status: 200, body: { device_key: DEVICE_KEY, session: row(key) } };
    }
    if (url.endsWith('/api/v1/logout')) return { status: 200, body: { session_revoked: true, device_key_deleted: true } };
    if (url.endsWith('/api/v1/auth/sessions/list')) return { status: 200, body: [{ id: SERVICE_ID, public_key: 'AAAA', role: 'TRADING_ONLY' }, { id: '01a216ad-2082-7b64-ae2a-3afd2b53fb21', public_key: 'BBBB' }] };
    if (url.endsWith('/api/v1/auth/sessions/revoke')) return { status: 200, body: { session_revoked: true } };
    return { status: 200, body: {} };
  };
}

/** A session logged in at the service: by the page's wallet, or (`vault`) by Keyhold's vault on the approval. */
async function loggedIn(deps: TestDeps, vault = false): Promise<{ port: FakeWorkerPort; pending: SessionInfo; answer: PageResponse }> {
  const port = new FakeWorkerPort();
  servePagePort(port, ORIGIN_A, Promise.resolve(deps));
  const id = `c.${nextId++}`;
  port.send({ requests: [{ id, method: 'keyhold_createSession', params: [{ ttlSeconds: 3600, service: vault ? { baseUrl: BASE } : { baseUrl: BASE, address: MASTER_ADDRESS } }] }] });
  await until(async () => (await deps.approvals.pending()).length > 0, 'approval');
  // The site (a.example) is not the service's party (127.0.0.1): the second confirmation is needed.
  await decideApproval(deps, (await deps.approvals.pending())[0]!.id, true, { acknowledged: true });
  await until(() => port.posted.some((m) => m.responses.some((r) => r.id === id)), 'session');
  const created = port.posted.flatMap((m) => m.responses).find((r) => r.id === id)!;
  const pending = result<SessionInfo>(created);
  // With Keyhold's vault unlocked, createSession has logged in itself.
  if (pending.status === 'active') return { port, pending, answer: created };
  const answer = await ask(port, 'keyhold_completeSession', [{ sessionId: pending.id, signature: personalSign(b64(pending.loginPayload!)) }]);
  return { port, pending, answer };
}

const logoutBodies = (deps: TestDeps) =>
  deps.fakeHttp.calls.filter((c) => c.url.endsWith('/api/v1/logout')).map((c) => uuidToString(decodeRevokeSession(decodePayload(b64((c.json as JsonEnvelope).payload)).body).sessionId));

describe('a service that assigns its own session ids', () => {
  test("the login is accepted; the page sees the service's id beside Keyhold's; the logout names the service's id", async () => {
    const deps = await makeDeps();
    assigningService(deps);
    const { port, pending, answer } = await loggedIn(deps);
    const s = result<SessionInfo>(answer);
    assert.equal(s.status, 'active');
    assert.equal(s.id, pending.id, "Keyhold's id stays the page's handle");
    assert.deepEqual(s.service, { baseUrl: BASE, sessionId: SERVICE_ID });
    assert.equal((await deps.db.get('sessions', s.id))!.service!.serviceSessionId, SERVICE_ID);
    assert.deepEqual(result<SessionInfo[]>(await ask(port, 'keyhold_listSessions'))[0]!.service, { baseUrl: BASE, sessionId: SERVICE_ID });
    assert.deepEqual(result(await ask(port, 'keyhold_revokeSession', [{ sessionId: s.id }])), { revoked: true, service: 'revoked' });
    assert.deepEqual(logoutBodies(deps), [SERVICE_ID]);
  });

  test("a logout queued while the service is down still names the service's id when it is delivered", async () => {
    const deps = await makeDeps();
    assigningService(deps);
    const { port, answer } = await loggedIn(deps);
    const s = result<SessionInfo>(answer);
    const up = deps.fakeHttp.respond;
    deps.fakeHttp.respond = (url, json, headers) => (url.endsWith('/logout') ? { status: 503, body: 'down' } : up(url, json, headers));
    const revoking = ask(port, 'keyhold_revokeSession', [{ sessionId: s.id }]);
    await until(() => logoutBodies(deps).length === 1, 'first attempt');
    assert.equal((await deps.revocations.pending())[0]!.serviceSessionId, SERVICE_ID);
    deps.fakeHttp.respond = up;
    await deps.revocations.deliverAll();
    assert.deepEqual(logoutBodies(deps), [SERVICE_ID, SERVICE_ID]);
    assert.deepEqual(await deps.revocations.pending(), []);
    await revoking;
  });

  test("the master's ListSessions rows and revocations match this browser's session by the service's id", async () => {
    const deps = await makeDeps();
    await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, 'correct horse battery');
    assigningService(deps);
    // The master lists and revokes only where it logged in itself: the vault signs this login.
    const { answer } = await loggedIn(deps, true);
    const s = result<SessionInfo>(answer);
    assert.equal(s.status, 'active');
    assert.equal(s.service?.sessionId, SERVICE_ID);
    const rows = await listAtService(deps, BASE);
    assert.deepEqual(rows.map((r) => [r.id, r.heldHere]), [[SERVICE_ID, true], ['01a216ad-2082-7b64-ae2a-3afd2b53fb21', false]]);
    await revokeAtService(deps, BASE, SERVICE_ID);
    const revoke = deps.fakeHttp.calls.find((c) => c.url.endsWith('/auth/sessions/revoke'))!;
    assert.equal(uuidToString(decodeMasterRevokeSession(decodePayload(b64((revoke.json as JsonEnvelope).payload)).body).sessionId), SERVICE_ID);
    assert.equal(await deps.db.get('sessions', s.id), undefined, 'the session held here is dropped too');
  });

  const refused: Array<[string, (key: string) => Record<string, unknown>]> = [
    ['another id and no key', () => ({ id: SERVICE_ID })],
    ['another id and another key', () => ({ id: SERVICE_ID, public_key: toB64(new Uint8Array(32).fill(1)) })],
    ['an id that is not a UUID', (key) => ({ id: 'session-42', public_key: key })],
  ];
  for (const [what, row] of refused) {
    test(`an answer with ${what} is -32603 and the session stays pending`, async () => {
      const deps = await makeDeps();
      assigningService(deps, row);
      const { pending, answer } = await loggedIn(deps);
      assert.ok('error' in answer && answer.error.code === -32603, JSON.stringify(answer));
      const stored = (await deps.db.get('sessions', pending.id))!;
      assert.equal(stored.service!.status, 'pending');
      assert.equal(stored.service!.serviceSessionId, undefined);
    });
  }

  test("Keyhold's own id echoed back (with or without the key) keeps no second id", async () => {
    for (const withKey of [false, true]) {
      const deps = await makeDeps();
      let ownId = '';
      assigningService(deps, (key) => (withKey ? { id: ownId, public_key: key } : { id: ownId.toUpperCase() }));
      const up = deps.fakeHttp.respond;
      deps.fakeHttp.respond = (url, json, headers) => {
        ownId = loginOf(json).id;
        return up(url, json, headers);
      };
      const { answer } = await loggedIn(deps);
      const s = result<SessionInfo>(answer);
      assert.deepEqual(s.service, { baseUrl: BASE });
      assert.equal((await deps.db.get('sessions', s.id))!.service!.serviceSessionId, undefined);
    }
  });
});
