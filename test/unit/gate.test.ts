/**
 * The one session gate (`background/sessions/gate.ts`): every check, in order, for both methods
 * that sign with a session. Attack 11 of the delegation issue: `keyhold_send` skipped
 * `requiresUnlock` because it repeated the refusal chain of `keyhold_signRequest` without it.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { admitSessionUse, UNLOCK_TO_USE_SESSION } from '../../background/sessions/gate.js';
import { send } from '../../background/methods/send.js';
import { signRequest } from '../../background/methods/sign-request.js';
import { ProviderRpcError } from '../../src/protocol/errors.js';
import { ORIGIN_A, ORIGIN_B, T0, makeDeps, makeSessionRecord, type TestDeps } from './fakes.js';

const BASE = 'https://service.example';

async function refused(p: Promise<unknown>, message: RegExp | string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ProviderRpcError, `expected a ProviderRpcError, got ${String(err)}`);
    assert.equal(err.code, 4100);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

async function withVault(deps: TestDeps): Promise<void> {
  await deps.vault.create({ kind: 'privateKey', privateKey: '11'.repeat(32) }, 'correct horse battery');
  await deps.vault.lock();
}

describe('admitSessionUse: one gate, checks in order', async () => {
  test('admits a live session of the caller, and refuses each failing check by name', async () => {
    const deps = await makeDeps();
    const ok = await deps.sessions.add(await makeSessionRecord({ requestTypes: [1, 2] }));
    const use = { sessionId: ok.record.id, origin: ORIGIN_A, requestType: 1, body: new Uint8Array(4) };
    assert.equal((await admitSessionUse(deps, use, T0)).record.id, ok.record.id);
    await refused(admitSessionUse(deps, { ...use, origin: ORIGIN_B }, T0), /Unknown session/);
    await refused(admitSessionUse(deps, { ...use, sessionId: '0190a5c8-0000-7000-8000-000000000000' }, T0), /Unknown session/);
    await refused(admitSessionUse(deps, use, ok.record.validUntil), /expired/);
    await refused(admitSessionUse(deps, { ...use, requestType: 7 }, T0), /request type 7/);
    const pending = await deps.sessions.add(
      await makeSessionRecord({ service: { baseUrl: BASE, master: 'secp256k1', status: 'pending', loginPayload: new Uint8Array(8), deviceKey: null } }),
    );
    await refused(admitSessionUse(deps, { ...use, sessionId: pending.record.id }, T0), /waiting for its login/);
  });

  test('requiresUnlock: refused while the vault is locked, admitted once unlocked', async () => {
    const deps = await makeDeps();
    await withVault(deps);
    const s = await deps.sessions.add(await makeSessionRecord({ requiresUnlock: true }));
    const use = { sessionId: s.record.id, origin: ORIGIN_A, requestType: 1, body: new Uint8Array(4) };
    await refused(admitSessionUse(deps, use, T0), UNLOCK_TO_USE_SESSION);
    await deps.vault.unlock('correct horse battery');
    assert.equal((await admitSessionUse(deps, use, T0)).record.id, s.record.id);
  });
});

describe('both signing methods pass the gate', async () => {
  test('keyhold_send refuses a requiresUnlock session while locked, and posts nothing (attack 11)', async () => {
    const deps = await makeDeps();
    await withVault(deps);
    const s = await deps.sessions.add(
      await makeSessionRecord({
        requiresUnlock: true,
        service: { baseUrl: BASE, master: 'secp256k1', status: 'active', loginPayload: null, deviceKey: new Uint8Array(32).fill(1) },
      }),
    );
    const ctx = { origin: ORIGIN_A, requestId: 'r1' };
    await refused(send(deps, { sessionId: s.record.id, path: '/api/v1/orders', requestType: 1, body: new Uint8Array(4) }, ctx), UNLOCK_TO_USE_SESSION);
    await refused(signRequest(deps, { sessionId: s.record.id, requestType: 1, body: new Uint8Array(4), encoding: 'json' }, ctx), UNLOCK_TO_USE_SESSION);
    assert.equal(deps.fakeHttp.calls.length, 0, 'nothing was posted');
    await deps.vault.unlock('correct horse battery');
    const sent = await send(deps, { sessionId: s.record.id, path: '/api/v1/orders', requestType: 1, body: new Uint8Array(4) }, ctx);
    assert.equal(sent.status, 200);
    assert.equal(deps.fakeHttp.calls.length, 1);
  });
});
