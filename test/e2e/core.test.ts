/**
 * End-to-end tests of the page contract in real Chromium with the built extension: discovery,
 * sessions, signing (checked with node:crypto and an independent wire parser), origin
 * isolation, approvals, revocation, parameter validation, worker restarts and the popup.
 * Run after `npm run build`: `node --import tsx --test --test-concurrency=1 test/e2e/*.test.ts`.
 * @module
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import {
  ISO_RE,
  UUID_RE,
  approvalPages,
  approveNext,
  call,
  createSession,
  fromBase64,
  launchExtension,
  nextApprovalPage,
  ok,
  openDapp,
  parseFrame,
  parsePayload,
  startServer,
  runningWorker,
  stopWorker,
  toBase64,
  uuidVersion,
  uuidv7Millis,
  verifyEd25519,
  type Extension,
  type FixtureServer,
  type RpcOutcome,
  type SessionInfo,
} from './harness.js';
import { WORKER_CHUNK_MARK } from '../../src/platform/worker-marks.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface Envelope {
  payload: string;
  public_key: string;
  signature: string;
}

const sign = (page: Page, sessionId: string, requestType: number, body: Uint8Array, encoding?: 'json' | 'binary') =>
  call<Envelope & { frame: string }>(page, 'keyhold_signRequest', [
    encoding === undefined
      ? { sessionId, requestType, body: toBase64(body) }
      : { sessionId, requestType, body: toBase64(body), encoding },
  ]);

const listIds = async (page: Page) =>
  ok(await call<SessionInfo[]>(page, 'keyhold_listSessions', []), 'keyhold_listSessions').map((s) => s.id);

/** Asserts an RPC error with this code (and, if given, a message naming `field`). */
function assertError(outcome: RpcOutcome, code: number, field?: string, what = '') {
  assert.ok(outcome.error, `${what}: expected error ${code}, got result ${JSON.stringify(outcome.result)?.slice(0, 200)}`);
  assert.equal(outcome.error.code, code, `${what}: wrong code (message: ${outcome.error.message})`);
  assert.equal(typeof outcome.error.message, 'string');
  if (field) assert.ok(outcome.error.message.includes(field), `${what}: message "${outcome.error.message}" does not name ${field}`);
}

/** Checks a JSON envelope end to end; returns the parsed payload. */
function checkEnvelope(env: Envelope, session: SessionInfo, requestType: number, body: Uint8Array) {
  assert.deepEqual(Object.keys(env).sort(), ['payload', 'public_key', 'signature']);
  assert.equal(env.public_key, session.publicKey, 'envelope key is the session key');
  assert.equal(fromBase64(env.signature, 'signature').length, 64);
  assert.equal(verifyEd25519(env.public_key, env.payload, env.signature), true, 'signature verifies');
  const p = parsePayload(fromBase64(env.payload, 'payload'));
  assert.equal(p.version, 1);
  assert.equal(p.signatureType, 1);
  assert.equal(p.requestType, requestType);
  assert.equal(p.bodyLength, body.length);
  assert.equal(hex(p.body), hex(body), 'body round-trips');
  return p;
}

describe('Keyhold end to end', () => {
  let server: FixtureServer;
  let ext: Extension;
  let context: BrowserContext;
  let pageA: Page;
  let pageB: Page;

  before(async () => {
    server = await startServer();
    ext = await launchExtension();
    context = ext.context;
    pageA = await openDapp(context, server.urlA);
    pageB = await openDapp(context, server.urlB);
  });

  after(async () => {
    await ext?.close();
    await server?.close();
  });

  test('EIP-6963: announces exactly one Keyhold provider, which is window.keyhold', async () => {
    const seen = await pageA.evaluate(async () => {
      // No named function constants in here: tsx would wrap them in a `__name` the page lacks.
      const got: { info: Record<string, unknown>; isKeyhold: boolean }[] = [];
      const listener = {
        handleEvent(e: Event) {
          const d = (e as CustomEvent).detail;
          got.push({ info: { ...d.info }, isKeyhold: d.provider === window.keyhold });
        },
      };
      window.addEventListener('eip6963:announceProvider', listener);
      window.dispatchEvent(new Event('eip6963:requestProvider'));
      await new Promise((r) => setTimeout(r, 50));
      const first = got.length;
      window.dispatchEvent(new Event('eip6963:requestProvider'));
      await new Promise((r) => setTimeout(r, 50));
      window.removeEventListener('eip6963:announceProvider', listener);
      return { got, first };
    });
    const ours = seen.got.filter((a) => a.info.rdns === 'dev.keyhold');
    assert.equal(seen.first, 1, 'one announcement per requestProvider');
    assert.equal(ours.length, 2, 'announced again on the second requestProvider');
    const [a, b] = ours as [(typeof ours)[0], (typeof ours)[0]];
    assert.equal(a.info.name, 'Keyhold');
    assert.match(String(a.info.icon), /^data:image\/[a-z+]+[;,]/);
    assert.match(String(a.info.uuid), UUID_RE);
    assert.equal(a.isKeyhold, true, 'detail.provider === window.keyhold');
    assert.equal(b.info.uuid, a.info.uuid, 'the same provider keeps its uuid');
  });

  test('create → Approve → sign (json) verifies with node:crypto and parses per the spec', async () => {
    const before = Date.now();
    const s = await createSession(context, pageA, { ttlSeconds: 3600, label: 'e2e main' });
    assert.match(s.id, UUID_RE);
    assert.equal(fromBase64(s.publicKey, 'publicKey').length, 32);
    assert.equal(s.role, 'TRADING_ONLY', 'default role');
    assert.equal(s.subaccountIndex, null);
    assert.equal(s.requestTypes, null, 'no restriction when requestTypes is omitted');
    assert.equal(s.label, 'e2e main');
    assert.match(s.createdAt, ISO_RE);
    assert.match(s.validUntil, ISO_RE);
    const created = Date.parse(s.createdAt);
    assert.ok(Math.abs(created - before) < 30_000, `createdAt ${s.createdAt} is near now`);
    assert.equal(Date.parse(s.validUntil) - created, 3600 * 1000, 'validUntil − createdAt = ttl');
    assert.ok((await listIds(pageA)).includes(s.id), 'listSessions shows the new session');

    const body = randomBytes(100);
    const t0 = Date.now();
    const env = ok(await sign(pageA, s.id, 0x1234, body), 'sign');
    const p = checkEnvelope(env, s, 0x1234, body);
    assert.deepEqual(uuidVersion(p.requestId), { version: 7, variant: 2 }, 'request id is a UUIDv7');
    assert.ok(Math.abs(uuidv7Millis(p.requestId) - t0) < 5_000, 'UUIDv7 timestamp is near now');
    assert.equal(p.expiresAtMs - p.issuedAtMs, 60_000);
    assert.ok(Math.abs(p.issuedAtMs - t0) < 5_000, `issued_at ${p.issuedAtMs} within 5 s of ${t0}`);

    // The verifier can fail: one flipped bit in the payload must not verify.
    const tampered = fromBase64(env.payload);
    tampered[tampered.length - 20]! ^= 1;
    assert.equal(verifyEd25519(env.public_key, toBase64(tampered), env.signature), false);
  });

  test('binary encoding: the frame parses and its payload verifies with the session key', async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600 });
    const body = randomBytes(64);
    const out = ok(await sign(pageA, s.id, 7, body, 'binary'), 'sign binary');
    assert.deepEqual(Object.keys(out), ['frame']);
    const f = parseFrame(fromBase64(out.frame, 'frame'));
    assert.equal(toBase64(f.publicKey), s.publicKey);
    assert.equal(f.signature.length, 64);
    assert.equal(verifyEd25519(toBase64(f.publicKey), toBase64(f.payload), toBase64(f.signature)), true);
    const p = parsePayload(f.payload);
    assert.equal(p.version, 1);
    assert.equal(p.signatureType, 1);
    assert.equal(p.requestType, 7);
    assert.equal(hex(p.body), hex(body));
    assert.equal(p.expiresAtMs - p.issuedAtMs, 60_000);
  });

  test('bytes (issue 12): a Uint8Array body crosses as it is; encoding bytes answers Uint8Arrays that verify', async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600 });
    const body = randomBytes(64);
    const out = await pageA.evaluate(
      async ({ sessionId, body }) => {
        const bytes = new Uint8Array(body);
        const r = (await window.keyhold!.request({ method: 'keyhold_signRequest', params: [{ sessionId, requestType: 3, body: bytes, encoding: 'bytes' }] })) as Record<string, unknown>;
        const j = (await window.keyhold!.request({ method: 'keyhold_signRequest', params: [{ sessionId, requestType: 3, body: bytes }] })) as Record<string, unknown>;
        return {
          kinds: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Uint8Array ? 'Uint8Array' : typeof v])),
          bytes: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v as Uint8Array)])),
          json: j,
        };
      },
      { sessionId: s.id, body: Array.from(body) },
    );
    assert.deepEqual(out.kinds, { payload: 'Uint8Array', public_key: 'Uint8Array', signature: 'Uint8Array' });
    const env = Object.fromEntries(Object.entries(out.bytes).map(([k, v]) => [k, toBase64(Uint8Array.from(v))])) as unknown as Envelope;
    checkEnvelope(env, s, 3, body);
    // The same Uint8Array body with the default encoding: base64 strings, as ever.
    checkEnvelope(out.json as unknown as Envelope, s, 3, body);
  });

  test('1,000 concurrent signatures all verify, each answers its own request, ids distinct', async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600 });
    const N = 1000;
    const results = await pageA.evaluate(
      async ({ id, n }) => {
        const settled = await Promise.allSettled(
          Array.from({ length: n }, (_, i) =>
            window.keyhold!.request({
              method: 'keyhold_signRequest',
              params: [{ sessionId: id, requestType: 2, body: btoa(`req-${String(i).padStart(6, '0')}`) }],
            }),
          ),
        );
        return settled.map((r) => (r.status === 'fulfilled' ? r.value : { error: String((r.reason as Error)?.message) }));
      },
      { id: s.id, n: N },
    );
    assert.equal(results.length, N);
    const ids = new Set<string>();
    results.forEach((r, i) => {
      const env = r as Envelope;
      assert.ok(env.payload, `request ${i} failed: ${JSON.stringify(r)}`);
      const p = checkEnvelope(env, s, 2, new TextEncoder().encode(`req-${String(i).padStart(6, '0')}`));
      ids.add(p.requestIdUuid);
    });
    assert.equal(ids.size, N, 'request ids are distinct');
  });

  test('origin isolation: a session of 127.0.0.1 is invisible and unusable from localhost', async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600 });
    assert.ok((await listIds(pageA)).includes(s.id));
    assert.ok(!(await listIds(pageB)).includes(s.id), 'not listed on the other origin');
    assertError(await sign(pageB, s.id, 1, randomBytes(8)), 4100, undefined, 'sign from localhost');
    assertError(await call(pageB, 'keyhold_revokeSession', [{ sessionId: s.id }]), 4100, undefined, 'revoke from localhost');
    ok(await sign(pageA, s.id, 1, randomBytes(8)), 'still signs on its own origin');
  });

  test("a cross-origin iframe cannot use the embedding page's session", async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600 });
    const host = await context.newPage();
    try {
      await host.goto(`${server.originA}/frame.html?src=${encodeURIComponent(server.urlB)}`);
      await host.waitForFunction(() => typeof window.keyhold?.request === 'function');
      const frame = host.frames().find((f) => f.url().startsWith(server.originB));
      assert.ok(frame, 'the localhost iframe loaded');
      await frame.waitForLoadState('load');

      // Forged relay traffic. The envelope is Keyhold's internal page⇄relay format
      // (src/protocol/envelope.ts), so a positive control proves the probe is well-formed first.
      const envelope = (id: string) => ({
        channel: 'dev.keyhold/v1',
        dir: 'to-keyhold',
        requests: [{ id, method: 'keyhold_signRequest', params: [{ sessionId: s.id, requestType: 1, body: 'AA==' }] }],
      });
      await host.evaluate(() => {
        const w = window as unknown as { seen: string[] };
        w.seen = [];
        window.addEventListener('message', (e) => {
          for (const r of e.data?.responses ?? []) w.seen.push(String(r.id));
        });
      });
      await host.evaluate((m) => window.postMessage(m, location.origin), envelope('control-1'));
      await host.waitForFunction(() => (window as unknown as { seen: string[] }).seen.includes('control-1'), undefined, {
        timeout: 5_000,
      });
      await frame.evaluate((m) => window.parent.postMessage(m, '*'), envelope('forged-1'));
      await new Promise((r) => setTimeout(r, 1_000));
      const seen = await host.evaluate(() => (window as unknown as { seen: string[] }).seen);
      assert.ok(!seen.includes('forged-1'), "the top frame's relay answered a message posted by the iframe");

      // Keyhold need not run in subframes; if it does, the frame is its own origin.
      if (await frame.evaluate(() => typeof window.keyhold?.request === 'function')) {
        const ids = ok(await call<SessionInfo[]>(frame, 'keyhold_listSessions', []), 'list in frame').map((x) => x.id);
        assert.ok(!ids.includes(s.id), "the iframe sees its parent's sessions");
        assertError(await call(frame, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: 'AA==' }]), 4100);
      }
    } finally {
      await host.close();
    }
  });

  test('Reject → 4001, and no session is created', async () => {
    const beforeIds = await listIds(pageA);
    const pending = call(pageA, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'to reject' }]);
    await approveNext(context, 'Reject');
    assertError(await pending, 4001, undefined, 'rejected');
    assert.deepEqual((await listIds(pageA)).sort(), beforeIds.sort());
  });

  test('closing the approval window → 4001', async () => {
    const beforeIds = await listIds(pageA);
    const pending = call(pageA, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'to close' }]);
    const approval = await nextApprovalPage(context);
    await approval.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await approval.close();
    const outcome = await Promise.race([
      pending,
      new Promise<RpcOutcome>((r) => setTimeout(() => r({ error: { code: 0, message: 'no answer within 10 s' } }), 10_000)),
    ]);
    assertError(outcome, 4001, undefined, 'closed window');
    assert.deepEqual((await listIds(pageA)).sort(), beforeIds.sort());
  });

  test('revoke → {revoked: true}; then signing → 4100 and the session is no longer listed', async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600 });
    ok(await sign(pageA, s.id, 1, randomBytes(8)), 'sign before revoke');
    assert.deepEqual(ok(await call(pageA, 'keyhold_revokeSession', [{ sessionId: s.id }])), { revoked: true });
    assertError(await sign(pageA, s.id, 1, randomBytes(8)), 4100, undefined, 'sign after revoke');
    assert.ok(!(await listIds(pageA)).includes(s.id));
    assertError(await call(pageA, 'keyhold_revokeSession', [{ sessionId: s.id }]), 4100, undefined, 'revoke twice');
  });

  test('requestTypes [1, 2]: types 1 and 2 sign, type 3 → 4100', async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600, requestTypes: [2, 1], role: 'FULL_ACCESS', subaccountIndex: 3 });
    assert.deepEqual(s.requestTypes, [1, 2]);
    assert.equal(s.role, 'FULL_ACCESS');
    assert.equal(s.subaccountIndex, 3);
    for (const type of [1, 2]) {
      const body = randomBytes(16);
      checkEnvelope(ok(await sign(pageA, s.id, type, body), `type ${type}`), s, type, body);
    }
    assertError(await sign(pageA, s.id, 3, randomBytes(16)), 4100, undefined, 'type 3 not granted');
  });

  test('malformed params → -32602 naming the field, without opening an approval window', async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600 });
    let opened = 0;
    const onPage = () => opened++;
    context.on('page', onPage);
    try {
      const create: [string, unknown, string][] = [
        ['ttlSeconds 59', { ttlSeconds: 59 }, 'ttlSeconds'],
        ['ttlSeconds 604801', { ttlSeconds: 604801 }, 'ttlSeconds'],
        ['ttlSeconds 1.5', { ttlSeconds: 1.5 }, 'ttlSeconds'],
        ['ttlSeconds "60"', { ttlSeconds: '60' }, 'ttlSeconds'],
        ['ttlSeconds missing', {}, 'ttlSeconds'],
        ['role ADMIN', { ttlSeconds: 60, role: 'ADMIN' }, 'role'],
        ['subaccountIndex -1', { ttlSeconds: 60, subaccountIndex: -1 }, 'subaccountIndex'],
        ['requestTypes [70000]', { ttlSeconds: 60, requestTypes: [70000] }, 'requestTypes'],
        ['label 65 chars', { ttlSeconds: 60, label: 'x'.repeat(65) }, 'label'],
        ['extra field', { ttlSeconds: 60, evil: 1 }, 'evil'],
      ];
      for (const [what, params, field] of create) {
        assertError(await call(pageA, 'keyhold_createSession', [params]), -32602, field, `createSession ${what}`);
      }
      const good = { sessionId: s.id, requestType: 1, body: toBase64(randomBytes(8)) };
      const signs: [string, unknown, string][] = [
        ['body not base64', { ...good, body: 'not base64!' }, 'body'],
        ['body 65537 bytes', { ...good, body: toBase64(new Uint8Array(65537)) }, 'body'],
        ['requestType -1', { ...good, requestType: -1 }, 'requestType'],
        ['requestType 65536', { ...good, requestType: 65536 }, 'requestType'],
        ['sessionId "nope"', { ...good, sessionId: 'nope' }, 'sessionId'],
        ['encoding "hex"', { ...good, encoding: 'hex' }, 'encoding'],
      ];
      for (const [what, params, field] of signs) {
        assertError(await call(pageA, 'keyhold_signRequest', [params]), -32602, field, `signRequest ${what}`);
      }
      // The limits themselves are allowed.
      const max = new Uint8Array(65536).fill(0xab);
      checkEnvelope(ok(await sign(pageA, s.id, 65535, max), 'sign 64 KiB, type 65535'), s, 65535, max);
      assertError(await call(pageA, 'keyhold_doesNotExist', []), 4200, undefined, 'unknown method');

      await new Promise((r) => setTimeout(r, 300));
      assert.equal(opened, 0, 'no window opened for invalid params');
      assert.equal(approvalPages(context).length, 0, 'no approval window open');
    } finally {
      context.off('page', onPage);
    }
  });

  test('worker stopped between two signatures: the second still signs with the same key', async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600 });
    const first = ok(await sign(pageA, s.id, 1, randomBytes(32)), 'first sign');
    const { wasRunning } = await stopWorker(context, ext.extensionId);
    assert.equal(wasRunning, true, 'the worker was running before the stop');
    const body = randomBytes(32);
    const second = ok(await sign(pageA, s.id, 1, body), 'sign after restart');
    checkEnvelope(second, s, 1, body);
    assert.equal(second.public_key, first.public_key);
    assert.ok((await listIds(pageA)).includes(s.id), 'session survives the restart');
  });

  test("after a worker stop, a signature loads only the signing path's chunks; a wallet method loads the rest", async () => {
    const s = await createSession(context, pageA, { ttlSeconds: 600 });
    await stopWorker(context, ext.extensionId);
    const body = randomBytes(16);
    checkEnvelope(ok(await sign(pageA, s.id, 1, body), 'sign after the stop'), s, 1, body);
    // The chunks this life of the worker imported, from the marks its loader leaves.
    const imported = async () => {
      const worker = await runningWorker(context, ext.extensionId);
      return worker.evaluate((prefix) => performance.getEntriesByType('mark').map((m) => m.name).filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length)), WORKER_CHUNK_MARK);
    };
    const signing = await imported();
    assert.ok(signing.length > 0, 'the signing path is in chunks that a start imports');
    assert.ok(!signing.some((c) => /^chunks\/(methods|worker)-/.test(c)), `imported for a signature: ${signing.join(', ')}`);
    ok(await call(pageA, 'eth_accounts'), 'eth_accounts');
    const rest = await imported();
    assert.ok(rest.some((c) => c.startsWith('chunks/worker-')) && rest.some((c) => c.startsWith('chunks/methods-')), `imported after eth_accounts: ${rest.join(', ')}`);
  });

  test('popup lists the session and its Revoke button revokes it', async () => {
    // Start from a popup with one session, so the Revoke button cannot be another session's.
    for (const page of [pageA, pageB]) {
      for (const id of await listIds(page)) ok(await call(page, 'keyhold_revokeSession', [{ sessionId: id }]), 'cleanup');
    }
    const label = `popup-${randomBytes(4).toString('hex')}`;
    const s = await createSession(context, pageA, { ttlSeconds: 600, label });
    ok(await sign(pageA, s.id, 1, randomBytes(8)), 'sign before popup revoke');

    const popup = await context.newPage();
    let nativeConfirm = false; // the confirmation may be a window.confirm() or an in-page dialog
    popup.on('dialog', (d) => {
      nativeConfirm = true;
      void d.accept();
    });
    try {
      await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
      await popup.getByText(label).first().waitFor({ timeout: 10_000 });
      const revoke = popup.getByRole('button', { name: 'Revoke', exact: true });
      assert.equal(await revoke.count(), 1, 'one session, one Revoke button');
      await revoke.click();
      if (!nativeConfirm) await popup.getByRole('button', { name: 'Revoke session', exact: true }).click({ timeout: 5_000 });
      await popup.getByText(label).first().waitFor({ state: 'detached', timeout: 5_000 });
    } finally {
      await popup.close();
    }
    assertError(await sign(pageA, s.id, 1, randomBytes(8)), 4100, undefined, 'sign after popup revoke');
    assert.ok(!(await listIds(pageA)).includes(s.id));
  });
});
