/**
 * Session policy (invariant 4): a session serves only its own origin, only before `validUntil`,
 * and only request types it was granted. Unknown and foreign sessions look the same.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionRecord } from '../../background/db.js';
import { UNKNOWN_SESSION, refuseRequestType, refuseUse } from '../../background/sessions/policy.js';
import { ProviderRpcError } from '../../src/protocol/errors.js';
import { ORIGIN_A, ORIGIN_B, T0, makeSessionRecord } from './fakes.js';

const VALID_UNTIL = T0 + 60_000;

function refusedWith(err: ProviderRpcError | null, pattern?: string | RegExp): ProviderRpcError {
  assert.ok(err instanceof ProviderRpcError, 'a refusal expected');
  assert.equal(err.code, 4100);
  if (typeof pattern === 'string') assert.equal(err.message, pattern);
  else if (pattern) assert.match(err.message, pattern);
  return err;
}

describe('refuseUse', async () => {
  const record: SessionRecord = await makeSessionRecord({ origin: ORIGIN_A, createdAt: T0, validUntil: VALID_UNTIL });

  test('its own origin, before validUntil: allowed', () => {
    assert.equal(refuseUse(record, ORIGIN_A, T0), null);
    assert.equal(refuseUse(record, ORIGIN_A, VALID_UNTIL - 1), null);
  });

  test('unknown session: 4100', () => {
    refusedWith(refuseUse(undefined, ORIGIN_A, T0), UNKNOWN_SESSION);
  });

  test('another origin: 4100 with the same message as an unknown session', () => {
    const foreign = refusedWith(refuseUse(record, ORIGIN_B, T0));
    const unknown = refusedWith(refuseUse(undefined, ORIGIN_B, T0));
    assert.equal(foreign.message, unknown.message);
    assert.deepEqual(foreign.toJSON(), unknown.toJSON());
  });

  test('origins compare exactly: scheme, port and case-variant hosts are other origins', () => {
    for (const o of ['http://a.example', 'https://a.example:444', 'https://A.example', 'https://a.example/', 'https://sub.a.example', '', 'null']) {
      refusedWith(refuseUse(record, o, T0), UNKNOWN_SESSION);
    }
  });

  test('a foreign session is refused as unknown even when it is also expired', () => {
    refusedWith(refuseUse(record, ORIGIN_B, VALID_UNTIL + 1), UNKNOWN_SESSION);
  });

  test('expired at exactly validUntil, and after', () => {
    const atEnd = refusedWith(refuseUse(record, ORIGIN_A, VALID_UNTIL), /expired/);
    assert.notEqual(atEnd.message, UNKNOWN_SESSION);
    refusedWith(refuseUse(record, ORIGIN_A, VALID_UNTIL + 1), /expired/);
    refusedWith(refuseUse(record, ORIGIN_A, Number.MAX_SAFE_INTEGER), /expired/);
  });
});

describe('refuseRequestType', async () => {
  const granted = await makeSessionRecord({ requestTypes: [2, 7] });
  const any = await makeSessionRecord({ requestTypes: null });

  test('granted types are allowed', () => {
    assert.equal(refuseRequestType(granted, 2), null);
    assert.equal(refuseRequestType(granted, 7), null);
  });

  test('other types are refused with 4100 naming the type', () => {
    for (const t of [0, 1, 3, 6, 8, 65_535]) refusedWith(refuseRequestType(granted, t), new RegExp(`request type ${t}\\b`));
  });

  test('null means any request type', () => {
    for (const t of [0, 1, 2, 999, 65_535]) assert.equal(refuseRequestType(any, t), null);
  });
});
