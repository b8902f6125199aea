/**
 * Fuzzing the service's boundary (fast-check): random frames, random envelopes and mutated
 * valid requests are rejected with a 4xx JSON error, never a 5xx or a dropped connection.
 * @module
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MasterKey, b64, frameOf, login, orderPayload, post, start, type LoggedIn, type TestService } from './helpers.js';

let service: TestService;
let session: LoggedIn;
before(async () => {
  service = await start();
  session = await login(service, new MasterKey());
});
after(() => service.close());

const paths = fc.constantFrom('/api/v1/orders', '/api/v1/login', '/api/v1/logout', '/api/v1/auth/sessions/list', '/api/v1/verify');

async function assertRejected(path: string, body: unknown): Promise<void> {
  const a = await post(service, path, body, { 'x-device-key': session.deviceKey });
  assert.ok(a.status >= 400 && a.status < 500, `${path}: ${a.status} ${JSON.stringify(a.json)}`);
  assert.equal(typeof a.json.error.code, 'string');
}

test('random binary frames', async () => {
  await fc.assert(fc.asyncProperty(paths, fc.uint8Array({ maxLength: 300 }), (path, bytes) => assertRejected(path, bytes)), { numRuns: 150 });
});

test('random envelopes', async () => {
  const member = fc.oneof(fc.base64String({ maxLength: 120 }), fc.string(), fc.integer(), fc.constant(null));
  const envelope = fc.record({ payload: member, public_key: member, signature: member }, { requiredKeys: [] });
  await fc.assert(fc.asyncProperty(paths, envelope, (path, e) => assertRejected(path, e)), { numRuns: 150 });
});

test('a valid order frame with one byte changed is rejected', async () => {
  const frame = frameOf(session.key.sign(orderPayload(service.now)));
  await fc.assert(
    fc.asyncProperty(fc.nat(frame.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
      const bad = Buffer.from(frame);
      bad[at]! ^= xor;
      await assertRejected('/api/v1/orders', bad);
    }),
    { numRuns: 150 },
  );
  // The unchanged frame still goes through: nothing above used up its request id.
  const ok = await post(service, '/api/v1/orders', frame, { 'x-device-key': session.deviceKey });
  assert.equal(ok.status, 200, JSON.stringify(ok.json) + b64(frame));
});
