/**
 * The per-origin bound on calls in flight (attack 8): past it -32005 at once, before the
 * handler runs; a finished (or failed) call frees its slot; origins do not share slots.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { limitPerOrigin } from '../../background/methods/per-origin-limit.js';
import { pageHandlers } from '../../background/methods/index.js';
import { MAX_SENDS_IN_FLIGHT } from '../../src/protocol/page-api.js';
import { ProviderRpcError } from '../../src/protocol/errors.js';
import type { WorkerDeps } from '../../background/deps.js';

const deps = {} as WorkerDeps;
const ctx = (origin: string, requestId = 'r') => ({ origin, requestId });

describe('limitPerOrigin', () => {
  test('past the bound: -32005 at once and the handler never runs; a finished call frees a slot', async () => {
    let ran = 0;
    const gates: (() => void)[] = [];
    const limited = limitPerOrigin(async (_d, _p: null) => {
      ran++;
      await new Promise<void>((r) => gates.push(r));
      return 'done';
    }, 2, 'm');
    const a = limited(deps, null, ctx('https://a.example'));
    const b = limited(deps, null, ctx('https://a.example'));
    await assert.rejects(limited(deps, null, ctx('https://a.example')), (e: unknown) => e instanceof ProviderRpcError && e.code === -32005);
    assert.equal(ran, 2);
    // Another origin has its own slots.
    const c = limited(deps, null, ctx('https://b.example'));
    assert.equal(ran, 3);
    gates.shift()!();
    assert.equal(await a, 'done');
    const d = limited(deps, null, ctx('https://a.example'));
    assert.equal(ran, 4);
    gates.splice(0).forEach((g) => g());
    assert.deepEqual(await Promise.all([b, c, d]), ['done', 'done', 'done']);
  });

  test('a failing call frees its slot too', async () => {
    const limited = limitPerOrigin(async () => {
      throw new Error('service down');
    }, 1, 'm');
    for (let i = 0; i < 3; i++) await assert.rejects(limited(deps, null, ctx('https://a.example')), /service down/);
  });

  test(`keyhold_send is bounded at ${MAX_SENDS_IN_FLIGHT} per origin in the method table`, async () => {
    const hung: Promise<unknown>[] = [];
    let calls = 0;
    // Deps whose session lookup never answers: every send hangs where a hung service would hold it.
    const hangingDeps = { now: () => 0, sessions: { peek: () => undefined, get: () => (calls++, new Promise(() => undefined)) } } as unknown as WorkerDeps;
    const params = { sessionId: '00000000-0000-7000-8000-000000000000', path: '/x', requestType: 1, body: new Uint8Array(0) };
    for (let i = 0; i < MAX_SENDS_IN_FLIGHT; i++) hung.push(pageHandlers.keyhold_send(hangingDeps, params, ctx('https://hung.example', String(i))));
    await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(pageHandlers.keyhold_send(hangingDeps, params, ctx('https://hung.example', 'over')), (e: unknown) => e instanceof ProviderRpcError && e.code === -32005);
    assert.ok(calls <= MAX_SENDS_IN_FLIGHT, 'the refused call never reached the session store');
  });
});
