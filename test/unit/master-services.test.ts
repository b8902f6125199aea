/**
 * The services Keyhold's own master logged in to (`background/services/master-services.ts`), and
 * the extension RPC that lists and revokes at them: remembered only after a vault-signed login
 * the service accepted, durable, bounded; `service_known` answers them; `service_listSessions` and
 * `service_revokeSession` refuse (4100, nothing sent) any other service, and what they send names
 * the service as audience and Keyhold's own origin as site.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { decideApproval } from '../../background/approvals/decide.js';
import { answerRpc } from '../../background/router/extension-rpc.js';
import { servePagePort } from '../../background/router/page-port.js';
import { MAX_MASTER_SERVICES, masterServices, rememberMasterService } from '../../background/services/master-services.js';
import { ErrorCode, ProviderRpcError } from '../../src/protocol/errors.js';
import type { JsonEnvelope, SessionInfo } from '../../src/protocol/page-api.js';
import { decodeListSessions, decodeMasterRevokeSession, RequestType } from '../../src/wire/bodies.js';
import { personalSignHash } from '../../src/wire/digests.js';
import { SignatureType, decodePayload } from '../../src/wire/payload.js';
import { uuidToString, uuidv7 } from '../../src/wire/uuidv7.js';
import { EXTENSION_ORIGIN, FakeWorkerPort, ORIGIN_A, b64, makeDeps, makeSessionRecord, uniqueDbName, until, type TestDeps } from './fakes.js';

const MASTER_AT = 'https://api.exchange.example';
const NAMED_BY_A_PAGE = 'https://hostile.example';
const PRIVATE_KEY = '11'.repeat(32);
const PASSWORD = 'correct horse battery';

async function unlockedDeps(opts: Parameters<typeof makeDeps>[0] = {}): Promise<TestDeps> {
  const deps = await makeDeps(opts);
  await deps.vault.create({ kind: 'privateKey', privateKey: PRIVATE_KEY }, PASSWORD);
  return deps;
}

async function rpc(deps: TestDeps, method: string, params: unknown = {}): Promise<unknown> {
  const answer = await answerRpc(deps, { method, params });
  if (!answer.ok) throw new ProviderRpcError(answer.error.code, answer.error.message);
  return answer.result;
}

/** The secp256k1 key that signed a type-2 envelope, recovered here with noble (EIP-191). */
function signerOf(envelope: JsonEnvelope): string {
  const payload = b64(envelope.payload);
  const sig = b64(envelope.signature);
  const recovered = secp256k1.recoverPublicKey(Uint8Array.of(sig[64]! - 27, ...sig.subarray(0, 64)), personalSignHash(payload), { prehash: false });
  return Buffer.from(keccak_256(secp256k1.Point.fromBytes(recovered).toBytes(false).subarray(1)).subarray(12)).toString('hex');
}

describe('rememberMasterService / masterServices', () => {
  test('least recent first, each once; a new login moves a service to the end', async () => {
    const deps = await makeDeps();
    assert.deepEqual(await masterServices(deps), []);
    await rememberMasterService(deps, 'https://a.example');
    await rememberMasterService(deps, 'http://127.0.0.1:8787');
    await rememberMasterService(deps, 'https://b.example');
    await rememberMasterService(deps, 'https://a.example');
    assert.deepEqual(await masterServices(deps), ['http://127.0.0.1:8787', 'https://b.example', 'https://a.example']);
  });

  test(`bounded: past ${MAX_MASTER_SERVICES} the least recently logged-in service is dropped`, async () => {
    const deps = await makeDeps();
    for (let i = 0; i <= MAX_MASTER_SERVICES; i++) await rememberMasterService(deps, `https://s${i}.example`);
    const list = await masterServices(deps);
    assert.equal(list.length, MAX_MASTER_SERVICES);
    assert.equal(list[0], 'https://s1.example');
    assert.equal(list.at(-1), `https://s${MAX_MASTER_SERVICES}.example`);
  });

  test('durable: a new worker over the same database still knows them', async () => {
    const dbName = uniqueDbName();
    const first = await makeDeps({ dbName });
    await rememberMasterService(first, MASTER_AT);
    first.db.close();
    const restarted = await makeDeps({ dbName });
    assert.deepEqual(await masterServices(restarted), [MASTER_AT]);
  });

  test('logins finishing together are all remembered', async () => {
    const deps = await makeDeps();
    const urls = Array.from({ length: 12 }, (_, i) => `https://c${i}.example`);
    await Promise.all(urls.map((u) => rememberMasterService(deps, u)));
    assert.deepEqual((await masterServices(deps)).sort(), [...urls].sort());
  });

  test('a baseUrl that is not a service origin is -32602 and changes nothing', async () => {
    const deps = await makeDeps();
    await rememberMasterService(deps, MASTER_AT);
    for (const bad of ['', 'https://a.example/path', 'http://a.example', 'ftp://a.example', 'chrome-extension://abc', 'https://u@a.example', 5, null]) {
      assert.throws(() => void rememberMasterService(deps, bad as string), (e: unknown) => e instanceof ProviderRpcError && e.code === ErrorCode.InvalidParams, String(bad));
    }
    assert.deepEqual(await masterServices(deps), [MASTER_AT]);
  });

  test('damaged stored entries are skipped, not trusted', async () => {
    const deps = await makeDeps();
    await deps.vault.setSettings({ masterServices: ['https://ok.example', 'https://x.example/path', 'http://evil.example', 7, 'https://ok.example'] as string[] });
    assert.deepEqual(await masterServices(deps), ['https://ok.example']);
    await deps.vault.setSettings({ masterServices: 'https://ok.example' as unknown as string[] });
    assert.deepEqual(await masterServices(deps), []);
  });

  test('the vault settings the popup sees are unchanged by it', async () => {
    const deps = await unlockedDeps();
    await rememberMasterService(deps, MASTER_AT);
    const view = (await rpc(deps, 'vault_status')) as Record<string, unknown>;
    assert.equal(JSON.stringify(view).includes(MASTER_AT), false);
  });
});

describe('the extension RPC lists and revokes only where the master logged in', () => {
  test('service_known answers the master services, not a service a page named', async () => {
    const deps = await unlockedDeps();
    await deps.sessions.add(await makeSessionRecord({
      service: { baseUrl: NAMED_BY_A_PAGE, master: 'secp256k1', status: 'pending', loginPayload: new Uint8Array(40), deviceKey: null },
    }));
    assert.deepEqual(await rpc(deps, 'service_known'), []);
    await rememberMasterService(deps, MASTER_AT);
    await rememberMasterService(deps, 'http://127.0.0.1:8787');
    assert.deepEqual(await rpc(deps, 'service_known'), ['http://127.0.0.1:8787', MASTER_AT]);
  });

  test('service_listSessions / service_revokeSession at any other service: 4100, and the master signs nothing', async () => {
    const deps = await unlockedDeps();
    await rememberMasterService(deps, MASTER_AT);
    const id = uuidToString(uuidv7(deps.now()));
    for (const [method, params] of [
      ['service_listSessions', { baseUrl: NAMED_BY_A_PAGE }],
      ['service_revokeSession', { baseUrl: NAMED_BY_A_PAGE, sessionId: id }],
      ['service_listSessions', { baseUrl: 'https://api.exchange.example:8443' }],
    ] as const) {
      await assert.rejects(rpc(deps, method, params), (e: unknown) => {
        assert.ok(e instanceof ProviderRpcError);
        assert.equal(e.code, ErrorCode.Unauthorized, method);
        assert.match(e.message, /never logged in at .*only at services where it logged in itself/);
        return true;
      });
    }
    assert.deepEqual(deps.fakeHttp.calls, [], 'nothing was sent anywhere');
  });

  test('a list names the service as audience and Keyhold as site, signed by the vault master', async () => {
    const deps = await unlockedDeps();
    await rememberMasterService(deps, MASTER_AT);
    deps.fakeHttp.respond = () => ({ status: 200, body: [] });
    assert.deepEqual(await rpc(deps, 'service_listSessions', { baseUrl: MASTER_AT }), []);
    assert.equal(deps.fakeHttp.calls.length, 1);
    const call = deps.fakeHttp.calls[0]!;
    assert.equal(call.url, `${MASTER_AT}/api/v1/auth/sessions/list`);
    const payload = decodePayload(b64((call.json as JsonEnvelope).payload));
    assert.equal(payload.signatureType, SignatureType.Secp256k1);
    assert.equal(payload.requestType, RequestType.ListSessions);
    assert.deepEqual(decodeListSessions(payload.body), { audience: MASTER_AT, site: EXTENSION_ORIGIN });
    const expected = Buffer.from(keccak_256(secp256k1.getPublicKey(Buffer.from(PRIVATE_KEY, 'hex'), false).subarray(1)).subarray(12)).toString('hex');
    assert.equal(signerOf(call.json as JsonEnvelope), expected);
  });

  test('a revoke names the session, the service as audience and Keyhold as site', async () => {
    const deps = await unlockedDeps();
    await rememberMasterService(deps, MASTER_AT);
    deps.fakeHttp.respond = () => ({ status: 200, body: { session_revoked: true } });
    const id = uuidToString(uuidv7(deps.now()));
    assert.deepEqual(await rpc(deps, 'service_revokeSession', { baseUrl: MASTER_AT, sessionId: id }), { revoked: true });
    const payload = decodePayload(b64((deps.fakeHttp.calls[0]!.json as JsonEnvelope).payload));
    assert.equal(payload.requestType, RequestType.RevokeSession);
    const body = decodeMasterRevokeSession(payload.body);
    assert.equal(uuidToString(body.sessionId), id);
    assert.deepEqual({ audience: body.audience, site: body.site }, { audience: MASTER_AT, site: EXTENSION_ORIGIN });
  });
});

describe('a vault-signed login remembers its service', () => {
  const DEVICE_KEY = Buffer.alloc(32, 7).toString('base64');
  let nextId = 0;

  async function createSession(deps: TestDeps, service: { baseUrl: string; address?: string }): Promise<{ result?: SessionInfo; error?: { code: number } }> {
    const port = new FakeWorkerPort();
    servePagePort(port, ORIGIN_A, Promise.resolve(deps));
    const id = `c.${nextId++}`;
    port.send({ requests: [{ id, method: 'keyhold_createSession', params: [{ ttlSeconds: 3600, service }] }] });
    await until(async () => (await deps.approvals.pending()).length > 0, 'approval');
    // a.example is not the services' party: the second confirmation is given.
    await decideApproval(deps, (await deps.approvals.pending())[0]!.id, true, { acknowledged: true });
    await until(() => port.responses().some((r) => r.id === id), 'answer');
    return port.responses().find((r) => r.id === id) as { result?: SessionInfo; error?: { code: number } };
  }
  const accepting = (deps: TestDeps): void => {
    deps.fakeHttp.respond = (_url, json) => {
      const id = /\nRequest ID: (\S+)\n/.exec(Buffer.from((json as JsonEnvelope).payload, 'base64').toString())![1];
      return { status: 200, body: { device_key: DEVICE_KEY, session: { id } } };
    };
  };

  test('after the service accepts the login the vault signed', async () => {
    const deps = await unlockedDeps();
    accepting(deps);
    const r = await createSession(deps, { baseUrl: MASTER_AT });
    assert.equal(r.result?.status, 'active');
    assert.deepEqual(await masterServices(deps), [MASTER_AT]);
  });

  test('not when the service refuses the login', async () => {
    const deps = await unlockedDeps();
    deps.fakeHttp.respond = () => ({ status: 401, body: { error: { code: 'bad_signature', message: 'no' } } });
    const r = await createSession(deps, { baseUrl: MASTER_AT });
    assert.ok(r.error !== undefined || r.result?.status === 'pending', JSON.stringify(r));
    assert.deepEqual(await masterServices(deps), []);
  });

  test("not when the page's own wallet signs the login (keyhold_completeSession)", async () => {
    const deps = await unlockedDeps();
    accepting(deps);
    const wallet = secp256k1.utils.randomSecretKey();
    const address = `0x${Buffer.from(keccak_256(secp256k1.getPublicKey(wallet, false).subarray(1)).subarray(12)).toString('hex')}`;
    const pending = (await createSession(deps, { baseUrl: NAMED_BY_A_PAGE, address })).result!;
    assert.equal(pending.status, 'pending', 'an account that is not the vault\'s: the page signs');
    const rec = secp256k1.sign(personalSignHash(b64(pending.loginPayload!)), wallet, { prehash: false, format: 'recovered' });
    const signature = `0x${Buffer.concat([rec.subarray(1), Buffer.of(27 + rec[0]!)]).toString('hex')}`;
    const port = new FakeWorkerPort();
    servePagePort(port, ORIGIN_A, Promise.resolve(deps));
    port.send({ requests: [{ id: 'done', method: 'keyhold_completeSession', params: [{ sessionId: pending.id, signature }] }] });
    await until(() => port.responses().some((r) => r.id === 'done'), 'complete');
    assert.equal((port.responses()[0] as { result: SessionInfo }).result.status, 'active');
    assert.deepEqual(await masterServices(deps), [], 'a service a page logged in to with its own wallet is not a master service');
  });
});
