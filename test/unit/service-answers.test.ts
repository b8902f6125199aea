/**
 * A malicious or broken service, for real: a `node:http` server on 127.0.0.1
 * (`test/faults/hostile-service.ts`) answers with a 10 MB body, a body that never ends, no
 * answer, garbage, HTML error pages, redirects, resets, a device key that is not base64 or
 * absurdly long, a session row naming another session… The real HTTP client
 * (`services/http.ts`, with a short timeout) and the real login, send and revoke paths of the
 * worker (over fake-indexeddb) meet each answer. Each ends in a clear error — -32603 naming the
 * service, or 4100 for a refusal — or, for `keyhold_send`, in the service's answer as data; the
 * session stays as it was (pending stays pending, a revocation stays queued), nothing is
 * written half, and the same page port keeps being answered.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { addr } from 'micro-eth-signer';
import { decideApproval } from '../../background/approvals/decide.js';
import { servePagePort } from '../../background/router/page-port.js';
import { MAX_ANSWER_DEPTH, ServiceUnreachable, fetchClient, type HttpClient } from '../../background/services/http.js';
import { rememberMasterService } from '../../background/services/master-services.js';
import { listAtService, revokeAtService } from '../../background/services/master-calls.js';
import { Revocations } from '../../background/services/revocations.js';
import type { PageResponse } from '../../src/protocol/envelope.js';
import { ProviderRpcError } from '../../src/protocol/errors.js';
import type { SessionInfo } from '../../src/protocol/page-api.js';
import { personalSignHash } from '../../src/wire/digests.js';
import { FakeWorkerPort, ORIGIN_A, b64, makeDeps, until, type TestDeps } from './fakes.js';
import { GOOD_DEVICE_KEY, HOSTILE, NO_STATUS, acceptLogin, startHostileService, type Behaviour, type HostileService } from '../faults/hostile-service.js';

const TIMEOUT_MS = 400;
/** Every answer, however hostile, ends within this. */
const BOUND_MS = TIMEOUT_MS + 2_000;
const MASTER = secp256k1.utils.randomSecretKey();
const MASTER_ADDRESS = addr.fromPrivateKey(MASTER);
const HARDHAT = 'test test test test test test test test test test test junk';
/** The device key sessions really hold (the hostile answers quote another, GOOD_DEVICE_KEY). */
const REAL_DEVICE_KEY = Buffer.alloc(32, 0x5a).toString('base64');

let hostile: HostileService;
let elsewhere: HostileService;
let behaviours: [string, Behaviour][];
const client: HttpClient = fetchClient(undefined, { timeoutMs: TIMEOUT_MS });

before(async () => {
  hostile = await startHostileService();
  // A redirect target that records whether anything (a device key) reached it.
  elsewhere = await startHostileService();
  behaviours = Object.entries({
    ...HOSTILE,
    'a redirect (307) to another host': (_q, res) => void res.writeHead(307, { location: `${elsewhere.url}/api/v1/login` }).end(),
  });
});
after(async () => {
  await hostile?.close();
  await elsewhere?.close();
});

/** The reason a fetch that got no usable answer must fail with. */
const reasonOf = (name: string): ServiceUnreachable['reason'] =>
  name === 'a 10 MB body' ? 'too-large' : name === 'a body that never ends' || name === 'no answer at all' ? 'timeout' : 'network';

describe('fetchClient against a misbehaving service', () => {
  test('each answer is a status and a JSON-or-text body a port can carry, or ServiceUnreachable with its reason, within the timeout', async () => {
    for (const [name, behave] of behaviours) {
      hostile.behave = behave;
      const t0 = performance.now();
      let outcome: unknown;
      try {
        outcome = await client.post(`${hostile.url}/api/v1/login`, { hello: 1 }, { 'X-DEVICE-KEY': GOOD_DEVICE_KEY });
      } catch (err) {
        outcome = err;
      }
      const ms = performance.now() - t0;
      assert.ok(ms < BOUND_MS, `${name}: ended after ${ms} ms`);
      if (NO_STATUS.has(name)) {
        assert.ok(outcome instanceof ServiceUnreachable, `${name}: ServiceUnreachable, got ${String(outcome)}`);
        assert.equal(outcome.reason, reasonOf(name), name);
      } else {
        const a = outcome as { status: number; body: unknown };
        assert.equal(typeof a.status, 'number', `${name}: an answer, got ${String(outcome)}`);
        assert.doesNotThrow(() => structuredClone(a.body), `${name}: a port can carry the body`);
        assert.doesNotThrow(() => JSON.stringify(a.body), `${name}: a JSON port can carry the body`);
      }
    }
    assert.equal(elsewhere.received.length, 0, 'a redirect is never followed: nothing reached the other host');
  });

  test(`JSON nested deeper than ${MAX_ANSWER_DEPTH} is kept as its text; ${MAX_ANSWER_DEPTH} deep stays JSON`, async () => {
    hostile.behave = HOSTILE['JSON nested 100,000 deep']!;
    const deep = await client.post(`${hostile.url}/x`, {});
    assert.equal(typeof deep.body, 'string');
    hostile.behave = (_q, res) => void res.writeHead(200).end(`${'['.repeat(MAX_ANSWER_DEPTH)}${']'.repeat(MAX_ANSWER_DEPTH)}`);
    assert.ok(Array.isArray((await client.post(`${hostile.url}/x`, {})).body));
    hostile.behave = (_q, res) => void res.writeHead(200).end(`${'{"a":'.repeat(MAX_ANSWER_DEPTH + 1)}1${'}'.repeat(MAX_ANSWER_DEPTH + 1)}`);
    assert.equal(typeof (await client.post(`${hostile.url}/x`, {})).body, 'string');
  });
});

// ---- the worker's paths, with the real client ----

let nextId = 0;
async function ask(port: FakeWorkerPort, method: string, params?: unknown): Promise<PageResponse> {
  const id = `s.${nextId++}`;
  port.send({ requests: [{ id, method, params }] });
  await until(() => port.responses().some((r) => r.id === id), `${method} answered`, BOUND_MS + 6_000);
  return port.responses().find((r) => r.id === id)!;
}
const resultOf = <T>(r: PageResponse, what: string): T => {
  assert.ok('result' in r, `${what}: expected a result, got ${JSON.stringify(r).slice(0, 300)}`);
  return r.result as T;
};

function personalSign(payload: Uint8Array): string {
  const rec = secp256k1.sign(personalSignHash(payload), MASTER, { prehash: false, format: 'recovered' });
  return `0x${Buffer.concat([rec.subarray(1), Buffer.of(27 + rec[0]!)]).toString('hex')}`;
}

/** Worker deps whose service calls and revocations go through the real client. */
async function realDeps(): Promise<{ deps: TestDeps; port: FakeWorkerPort }> {
  const deps = await makeDeps({ clock: { now: Date.now() } });
  deps.http = client;
  deps.revocations = new Revocations({ db: deps.db, http: client, now: () => deps.clock.now, schedule: (when) => void deps.scheduled.push(when), changed: () => undefined });
  const port = new FakeWorkerPort();
  servePagePort(port, ORIGIN_A, Promise.resolve(deps));
  return { deps, port };
}

async function pendingSession(deps: TestDeps, port: FakeWorkerPort): Promise<SessionInfo> {
  const id = `c.${nextId++}`;
  port.send({ requests: [{ id, method: 'keyhold_createSession', params: [{ ttlSeconds: 3600, service: { baseUrl: hostile.url, address: MASTER_ADDRESS } }] }] });
  await until(async () => (await deps.approvals.pending()).length > 0, 'the approval');
  // a.example asks for a session at a 127.0.0.1 service: the second confirmation is given.
  await decideApproval(deps, (await deps.approvals.pending())[0]!.id, true, { acknowledged: true });
  await until(() => port.responses().some((r) => r.id === id), 'the session');
  return resultOf<SessionInfo>(port.responses().find((r) => r.id === id)!, 'createSession');
}

async function activeSession(deps: TestDeps, port: FakeWorkerPort): Promise<SessionInfo> {
  hostile.behave = acceptLogin(REAL_DEVICE_KEY);
  const s = await pendingSession(deps, port);
  if (s.status === 'active') return s; // the unlocked vault logged it in
  return resultOf<SessionInfo>(await ask(port, 'keyhold_completeSession', [{ sessionId: s.id, signature: personalSign(b64(s.loginPayload!)) }]), 'complete');
}

/** Every store, CryptoKeys by identity, after the activity log landed: to compare before and after. */
async function stored(deps: TestDeps): Promise<unknown> {
  await deps.audit.flush();
  const out: Record<string, unknown> = {};
  for (const name of [...deps.db.objectStoreNames].sort()) {
    out[name] = ((await deps.db.getAll(name)) as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof CryptoKey ? `key:${v.type}` : v])));
  }
  return out;
}

/** -32603 naming the service (or 4100 when it refused), short, and never quoting the session's device key. */
function assertClearError(r: PageResponse, name: string, allowRefusal: boolean): void {
  assert.ok('error' in r, `${name}: expected an error, got ${JSON.stringify(r).slice(0, 300)}`);
  const { code, message } = r.error;
  if (code === 4100) assert.ok(allowRefusal, `${name}: 4100 only for a refusal`);
  else assert.equal(code, -32603, `${name}: ${message}`);
  if (code === -32603) assert.ok(message.includes(hostile.url), `${name}: the message names the service: ${message}`);
  assert.ok(message.length < 400, `${name}: a short message`);
  assert.ok(!message.includes(REAL_DEVICE_KEY.slice(0, 20)), `${name}: no device key in the message`);
}

describe('keyhold_completeSession against a misbehaving service', () => {
  test('each answer is -32603 naming the service (4100 for a 4xx refusal); the session stays pending, nothing stored changes; then a good answer completes it', async () => {
    const { deps, port } = await realDeps();
    const s = await pendingSession(deps, port);
    const signature = personalSign(b64(s.loginPayload!));
    for (const [name, behave] of behaviours) {
      const before = await stored(deps);
      hostile.behave = behave;
      const t0 = performance.now();
      const r = await ask(port, 'keyhold_completeSession', [{ sessionId: s.id, signature }]);
      assert.ok(performance.now() - t0 < BOUND_MS, `${name}: bounded`);
      assertClearError(r, name, name.includes('(404)'));
      assert.deepEqual(await stored(deps), before, `${name}: nothing stored changed`);
      const record = (await deps.db.get('sessions', s.id))!;
      assert.equal(record.service!.status, 'pending', name);
      assert.equal(record.service!.deviceKey, null, name);
    }
    hostile.behave = acceptLogin();
    const done = resultOf<SessionInfo>(await ask(port, 'keyhold_completeSession', [{ sessionId: s.id, signature }]), 'complete after the faults');
    assert.equal(done.status, 'active');
    assert.equal(Buffer.from((await deps.db.get('sessions', s.id))!.service!.deviceKey!).toString('base64'), GOOD_DEVICE_KEY);
  });

  test('with an unlocked vault, createSession logs in itself: a misbehaving service is -32603, the approved session is kept pending', async () => {
    const { deps, port } = await realDeps();
    await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, 'correct horse battery');
    for (const name of ['binary garbage labelled JSON', 'a body that never ends', 'a session row naming another session']) {
      hostile.behave = HOSTILE[name]!;
      const id = `v.${nextId++}`;
      port.send({ requests: [{ id, method: 'keyhold_createSession', params: [{ ttlSeconds: 3600, service: { baseUrl: hostile.url } }] }] });
      await until(async () => (await deps.approvals.pending()).length > 0, 'the approval');
      await decideApproval(deps, (await deps.approvals.pending())[0]!.id, true, { acknowledged: true });
      await until(() => port.responses().some((r) => r.id === id), 'the answer', BOUND_MS + 2_000);
      assertClearError(port.responses().find((r) => r.id === id)!, name, false);
    }
    const kept = await deps.sessions.listAll(0);
    assert.equal(kept.length, 3);
    assert.ok(kept.every((r) => r.service?.status === 'pending' && r.service.deviceKey === null && r.service.loginPayload), 'each stays pending, whole');
  });
});

describe('keyhold_send against a misbehaving service', () => {
  test('no answer is -32603 naming the service; any answer is data the page gets; the session is unchanged and the port keeps answering', async () => {
    const { deps, port } = await realDeps();
    const s = await activeSession(deps, port);
    const session = async () => {
      const r = (await deps.db.get('sessions', s.id))!;
      return { status: r.service!.status, deviceKey: Buffer.from(r.service!.deviceKey!).toString('base64') };
    };
    const before = await session();
    for (const [name, behave] of behaviours) {
      hostile.behave = behave;
      const r = await ask(port, 'keyhold_send', [{ sessionId: s.id, path: '/api/v1/orders', requestType: 1, body: 'AQID' }]);
      if (NO_STATUS.has(name)) {
        assertClearError(r, name, false);
        assert.match((r as { error: { message: string } }).error.message, new RegExp(`\\(${reasonOf(name)}\\)`), name);
      } else {
        const answer = resultOf<{ status: number; body: unknown }>(r, name);
        assert.equal(typeof answer.status, 'number');
      }
      // The same port still answers (a body it cannot carry once stopped it for good).
      resultOf(await ask(port, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: 'AQID' }]), `${name}: the port still answers`);
      assert.deepEqual(await session(), before, `${name}: the session is unchanged`);
    }
  });
});

describe('revoking against a misbehaving service', () => {
  test('each answer leaves the logout queued (revoked here at once, "pending" there) with a reason and no secret; once the service answers, it is delivered', async () => {
    const { deps, port } = await realDeps();
    for (const [name, behave] of behaviours) {
      const s = await activeSession(deps, port);
      hostile.behave = behave;
      const r = resultOf(await ask(port, 'keyhold_revokeSession', [{ sessionId: s.id }]), name);
      assert.deepEqual(r, { revoked: true, service: 'pending' }, `${name}: not confirmed by the service`);
      assert.equal(await deps.db.get('sessions', s.id), undefined, `${name}: revoked here at once`);
      const queued = await deps.db.get('revocations', s.id);
      assert.ok(queued, `${name}: the logout stays queued`);
      assert.equal(queued.attempts, 1, name);
      assert.ok(queued.lastError && queued.lastError.length < 300 && !queued.lastError.includes(REAL_DEVICE_KEY.slice(0, 20)), `${name}: ${queued.lastError}`);
      assert.equal(Buffer.from(queued.deviceKey).toString('base64'), REAL_DEVICE_KEY, `${name}: the queued record is whole`);
    }
    assert.equal((await deps.revocations.pending()).length, behaviours.length);
    hostile.behave = acceptLogin();
    const logouts = hostile.received.length;
    await deps.revocations.deliverAll();
    assert.deepEqual(await deps.revocations.pending(), [], 'every one delivered once the service answers');
    assert.equal(hostile.received.length - logouts, behaviours.length);
  });

  test("the master's list and revoke at the service: a misbehaving service is an error, and the local session is kept", async () => {
    const { deps, port } = await realDeps();
    await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, 'correct horse battery');
    const s = await activeSession(deps, port);
    // As if the vault had logged in there itself: only then does the master call it at all.
    await rememberMasterService(deps, hostile.url);
    for (const [name, behave] of behaviours) {
      hostile.behave = behave;
      for (const [what, call] of [['revoke', () => revokeAtService(deps, hostile.url, s.id)], ['list', () => listAtService(deps, hostile.url)]] as const) {
        let err: unknown;
        let result: unknown;
        try {
          result = await call();
        } catch (e) {
          err = e;
        }
        // A list whose rows do not fit is a list without them.
        if (what === 'list' && Array.isArray(result)) {
          assert.deepEqual(result, [], `${name}: no row of a broken list survives`);
          continue;
        }
        assert.ok(err instanceof ProviderRpcError, `${name} (${what}): an error, got ${String(err)}`);
        assertClearError({ id: 'x', error: { code: err.code, message: err.message } }, `${name} (${what})`, true);
      }
      assert.ok(await deps.db.get('sessions', s.id), `${name}: the session held here is kept`);
    }
  });
});
