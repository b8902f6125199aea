/**
 * Descriptors: the service's own wins over the page's; transfer/admin types default to
 * confirmTypes; a descriptor schema is enforced like a rule; the fetch refuses hostile answers
 * (too large, duplicate keys, not a descriptor, a pattern) and caches for an hour.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withDescriptor } from '../../background/descriptors/apply.js';
import { DESCRIPTOR_CACHE_ENTRIES, DESCRIPTOR_FETCHES_AT_ONCE, fetchDescriptors } from '../../background/descriptors/fetch.js';
import { signRequest } from '../../background/methods/sign-request.js';
import { parseCreateSession } from '../../src/protocol/page-params.js';
import { ProviderRpcError } from '../../src/protocol/errors.js';
import { DESCRIPTOR } from '../../service/handlers/descriptor.js';
import { parseDescriptor } from '../../src/protocol/descriptor-params.js';
import { ORIGIN_A, makeDeps, makeSessionRecord } from './fakes.js';

const BASE = 'https://api.example';
const pageDescriptor = { name: 'Page says', requestTypes: { 1: { name: 'Harmless', risk: 'read' }, 2: { name: 'AlsoHarmless', risk: 'read' } } };

describe('which descriptor, and the confirm types it implies', () => {
  test("a service session takes the service's own descriptor over the page's; Withdraw (transfer) waits for a click", async () => {
    const deps = await makeDeps();
    deps.serviceDescriptors.set(BASE, parseDescriptor(DESCRIPTOR));
    const params = parseCreateSession([{ ttlSeconds: 3600, requestTypes: [1, 2], service: { baseUrl: BASE }, descriptor: pageDescriptor }]);
    assert.equal(params.descriptor?.source, 'site');
    const shown = await withDescriptor(deps, params);
    assert.equal(shown.descriptor?.source, 'service');
    assert.equal(shown.descriptor?.descriptor.requestTypes['2']?.name, 'Withdraw');
    assert.deepEqual(shown.policy?.confirmTypes, [2]);
  });
  test("a page's descriptor stays the site's word; its own confirmTypes are kept as given", async () => {
    const deps = await makeDeps();
    const params = parseCreateSession([{ ttlSeconds: 3600, requestTypes: [1, 2], descriptor: { name: 'X', requestTypes: { 2: { name: 'Send', risk: 'transfer' } } }, policy: { confirmTypes: [1] } }]);
    const shown = await withDescriptor(deps, params);
    assert.equal(shown.descriptor?.source, 'site');
    assert.deepEqual(shown.policy?.confirmTypes, [1]);
    const defaulted = await withDescriptor(deps, parseCreateSession([{ ttlSeconds: 3600, descriptor: { name: 'X', requestTypes: { 9: { name: 'Admin', risk: 'admin' } } } }]));
    assert.deepEqual(defaulted.policy, { confirmTypes: [9] });
  });
  test('a descriptor schema is enforced like a rule (data.policy "rules")', async () => {
    const deps = await makeDeps();
    const s = await deps.sessions.add(await makeSessionRecord({ descriptor: { source: 'service', descriptor: parseDescriptor(DESCRIPTOR) } }));
    const sign = (body: unknown) => signRequest(deps, { sessionId: s.record.id, requestType: 1, body: new TextEncoder().encode(JSON.stringify(body)), encoding: 'json' }, { origin: ORIGIN_A, requestId: 'r' });
    await sign({ side: 'buy', qty: 1, symbol: 'BTC-USD' });
    await assert.rejects(sign({ side: 'buy', qty: 1, extra: true }), (e: ProviderRpcError) => e.code === 4100 && (e.data as { policy: string }).policy === 'rules');
    const log = await deps.audit.list();
    assert.equal(log.find((e) => e.kind === 'sign')?.summary, 'buy 1 BTC-USD');
    // Activity names the type as the descriptor does, not by its number alone.
    assert.equal(log.find((e) => e.kind === 'sign')?.typeName, DESCRIPTOR.requestTypes['1']!.name);
  });
});

describe('fetching a service descriptor: hostile answers refused, cached hourly', () => {
  const answer = (body: string | Uint8Array<ArrayBuffer>, status = 200) => async () => new Response(body, { status });
  test('the reference descriptor is accepted; too large, duplicate keys, malformed, a pattern, 404: none', async () => {
    assert.equal((await fetchDescriptors(answer(JSON.stringify(DESCRIPTOR))).forService(BASE))?.name, DESCRIPTOR.name);
    const hostile = [
      answer(new Uint8Array(300 * 1024).fill(0x20)),
      answer('{"name":"A","name":"B","requestTypes":{}}'),
      answer('{"name":"A","requestTypes":{"1":{"name":"x","risk":"read","schema":{"pattern":"^(a+)+$"}}}}'),
      answer('[' .repeat(100000)),
      answer('{}', 404),
      async () => { throw new TypeError('network'); },
    ];
    for (const f of hostile) assert.equal(await fetchDescriptors(f as typeof fetch).forService(BASE), null);
  });
  test('re-fetched at most hourly', async () => {
    let calls = 0;
    const clock = { now: 0 };
    const source = fetchDescriptors((async () => (calls++, new Response(JSON.stringify(DESCRIPTOR)))) as typeof fetch, () => clock.now);
    await source.forService(BASE);
    clock.now = 3_599_999;
    await source.forService(BASE);
    assert.equal(calls, 1);
    clock.now = 3_600_000;
    await source.forService(BASE);
    assert.equal(calls, 2);
  });
  test('a flood of services: a few fetches at once, one per service at a time, a bounded cache', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const release: Array<() => void> = [];
    const slowFetch = (async () => {
      calls++;
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => release.push(r));
      running--;
      return new Response(JSON.stringify(DESCRIPTOR));
    }) as typeof fetch;
    const source = fetchDescriptors(slowFetch);
    const services = Array.from({ length: 200 }, (_, i) => `https://s${i}.example`);
    const answers = Promise.all([...services, ...services].map((b) => source.forService(b)));
    for (let done = 0; done < 200; done++) {
      while (release.length === 0) await new Promise((r) => setTimeout(r, 1));
      release.shift()!();
    }
    assert.ok((await answers).every((d) => d?.name === DESCRIPTOR.name));
    assert.equal(calls, 200, 'one fetch per service, though each was asked twice at once');
    assert.equal(most, DESCRIPTOR_FETCHES_AT_ONCE);
    // The oldest answers left the cache; the newest are still there.
    await source.forService(services[199]!);
    assert.equal(calls, 200);
    const again = source.forService(services[0]!);
    while (release.length === 0) await new Promise((r) => setTimeout(r, 1));
    release.shift()!();
    await again;
    assert.equal(calls, 201, `only the newest ${DESCRIPTOR_CACHE_ENTRIES} are kept`);
  });
});
