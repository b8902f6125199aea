/**
 * What the activity log keeps of a signed body: for a type a descriptor describes, a JSON body's
 * summary, a binary body's size and first 32 bytes in hex (bounded, whatever the body's size);
 * for a type nobody describes, nothing (the log keeps no word of bodies Keyhold cannot name).
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerRpc } from '../../background/router/extension-rpc.js';
import { servePagePort } from '../../background/router/page-port.js';
import { HEX_PREVIEW_BYTES, binaryPreview, loggedBody } from '../../src/policy/body-preview.js';
import type { ActivityView } from '../../src/protocol/extension-rpc.js';
import type { SessionDescriptor } from '../../src/protocol/descriptor.js';
import { FakeWorkerPort, ORIGIN_A, makeDeps, makeSessionRecord, until, type TestDeps } from './fakes.js';

const DESCRIPTOR: SessionDescriptor = {
  source: 'site',
  descriptor: {
    name: 'Ex',
    requestTypes: {
      1: { name: 'PlaceOrder', risk: 'trade', body: 'json', summary: '{/side} {/qty}' },
      2: { name: 'Blob', risk: 'read', body: 'binary' },
      3: { name: 'Note', risk: 'read' },
    },
  },
};
const blob = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 5) & 0xff);

async function signAndList(deps: TestDeps, sessionId: string, requestType: number, body: Uint8Array): Promise<ActivityView> {
  const port = new FakeWorkerPort();
  servePagePort(port, ORIGIN_A, Promise.resolve(deps));
  port.send({ requests: [{ id: 'x', method: 'keyhold_signRequest', params: [{ sessionId, requestType, body: Buffer.from(body).toString('base64') }] }] });
  await until(() => port.posted.length > 0, 'the answer');
  assert.ok('result' in port.posted[0]!.responses[0]!, JSON.stringify(port.posted[0]));
  const answer = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method: 'activity_list', params: { limit: 1 } });
  assert.ok(answer.ok);
  return (answer.result as ActivityView[])[0]!;
}

describe('binary bodies in the activity log', () => {
  test('size and the first 32 bytes, lowercase hex; shorter bodies whole; never more, whatever the size', () => {
    assert.deepEqual(binaryPreview(Uint8Array.of(0xde, 0xad, 0x00, 0x0f)), { size: 4, hex: 'dead000f' });
    assert.deepEqual(binaryPreview(new Uint8Array()), { size: 0, hex: '' });
    const big = binaryPreview(blob(64 * 1024));
    assert.equal(big.size, 65536);
    assert.equal(big.hex.length, HEX_PREVIEW_BYTES * 2);
    assert.equal(big.hex, Buffer.from(blob(32)).toString('hex'));
  });

  test('a declared binary type, or a body that is not JSON: summary with the size, and the preview; JSON keeps its summary', () => {
    const types = DESCRIPTOR.descriptor.requestTypes;
    assert.deepEqual(loggedBody(types[2]!, blob(40)), { summary: 'Blob: 40 bytes', bodyPreview: { size: 40, hex: Buffer.from(blob(32)).toString('hex') } });
    assert.deepEqual(loggedBody(types[1]!, new TextEncoder().encode('{"side":"buy","qty":2}')), { summary: 'buy 2' });
    assert.deepEqual(loggedBody(types[1]!, Uint8Array.of(1, 2, 3)), { summary: 'PlaceOrder: 3 bytes', bodyPreview: { size: 3, hex: '010203' } });
    assert.deepEqual(loggedBody(types[3]!, new TextEncoder().encode('{"a":1}')), {});
    assert.deepEqual(loggedBody(types[3]!, Uint8Array.of(0xff)), { summary: 'Note: 1 bytes', bodyPreview: { size: 1, hex: 'ff' } });
  });

  test('through the worker: the signature of a binary type is logged with its preview, and activity_list returns it', async () => {
    const deps = await makeDeps();
    const { record } = await deps.sessions.add(await makeSessionRecord({ requestTypes: [1, 2, 7], descriptor: DESCRIPTOR }));
    const entry = await signAndList(deps, record.id, 2, blob(100));
    assert.equal(entry.kind, 'sign');
    assert.equal(entry.summary, 'Blob: 100 bytes');
    assert.deepEqual(entry.bodyPreview, { size: 100, hex: Buffer.from(blob(32)).toString('hex') });
    assert.deepEqual([entry.typeName, entry.risk], ['Blob', 'read']);
    const json = await signAndList(deps, record.id, 1, new TextEncoder().encode('{"side":"sell","qty":1}'));
    assert.equal(json.summary, 'sell 1');
    assert.equal(json.bodyPreview, undefined);
  });

  test('a type no descriptor describes: no preview, no summary (nothing of the body is kept)', async () => {
    const deps = await makeDeps();
    const { record } = await deps.sessions.add(await makeSessionRecord({ requestTypes: null, descriptor: DESCRIPTOR }));
    const entry = await signAndList(deps, record.id, 7, blob(10));
    assert.equal(entry.bodyPreview, undefined);
    assert.equal(entry.summary, undefined);
    const plain = await makeDeps();
    const { record: r2 } = await plain.sessions.add(await makeSessionRecord());
    assert.equal((await signAndList(plain, r2.id, 2, blob(10))).bodyPreview, undefined);
  });
});

describe('request types by name and risk in the log', () => {
  test('a signature and a policy refusal of a described type carry its name and risk; an undescribed type neither', async () => {
    const deps = await makeDeps();
    const { record } = await deps.sessions.add(await makeSessionRecord({ requestTypes: null, descriptor: DESCRIPTOR, policy: { rules: { 1: { type: 'object', properties: { qty: { maximum: 5 } } } } } }));
    const signed = await signAndList(deps, record.id, 1, new TextEncoder().encode('{"side":"buy","qty":1}'));
    assert.deepEqual([signed.typeName, signed.risk, signed.summary], ['PlaceOrder', 'trade', 'buy 1']);
    const port = new FakeWorkerPort();
    servePagePort(port, ORIGIN_A, Promise.resolve(deps));
    port.send({ requests: [{ id: 'r', method: 'keyhold_signRequest', params: [{ sessionId: record.id, requestType: 1, body: Buffer.from('{"side":"buy","qty":9}').toString('base64') }] }] });
    await until(() => port.posted.length > 0, 'the refusal');
    const answer = await answerRpc(deps, { channel: 'dev.keyhold/rpc', method: 'activity_list', params: { limit: 1 } });
    const refused = (answer as { result: ActivityView[] }).result[0]!;
    assert.deepEqual([refused.kind, refused.policy, refused.typeName, refused.risk], ['policy-refused', 'rules', 'PlaceOrder', 'trade']);
    const other = await signAndList(deps, record.id, 7, blob(3));
    assert.deepEqual([other.typeName, other.risk], [undefined, undefined]);
  });
});
