/**
 * The popup's pure formatting: durations, countdowns, roles, request types, origins.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeRequestTypes,
  formatDuration,
  formatTimeLeft,
  isPunycodeHost,
  originParts,
  roleLabel,
  shortKey,
  subaccountLabel,
} from '../../popup/format.js';
import { groupByOrigin } from '../../popup/session-groups.js';
import type { SessionView } from '../../src/protocol/extension-rpc.js';

describe('formatDuration', () => {
  const cases: Array<[number, string]> = [
    [0, '0 seconds'],
    [1, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute'],
    [61, '1 minute 1 second'],
    [900, '15 minutes'],
    [3600, '1 hour'],
    [3660, '1 hour 1 minute'],
    [5400, '1 hour 30 minutes'],
    [3601, '1 hour'], // the third unit is dropped
    [86_400, '1 day'],
    [90_000, '1 day 1 hour'],
    [604_800, '7 days'],
    [2_592_000, '30 days'],
    [59.9, '59 seconds'],
  ];
  for (const [seconds, want] of cases) {
    test(`${seconds} → ${want}`, () => assert.equal(formatDuration(seconds), want));
  }

  test('rejects bad input', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => formatDuration(bad), RangeError, String(bad));
    }
    for (const bad of ['60', null, undefined, 60n, {}]) {
      assert.throws(() => formatDuration(bad as never), TypeError, String(bad));
    }
  });
});

describe('formatTimeLeft', () => {
  const now = Date.parse('2025-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(now + ms).toISOString();
  const cases: Array<[number, string]> = [
    [-1, 'Expired'],
    [0, 'Expired'],
    [1, '1s left'], // rounds up: never "0s left"
    [42_000, '42s left'],
    [60_000, '1m 00s left'],
    [249_000, '4m 09s left'],
    [3_600_000, '1h 00m left'],
    [7_500_000, '2h 05m left'],
    [86_400_000, '1d 0h left'],
    [6 * 86_400_000 + 23 * 3_600_000 + 59_000, '6d 23h left'],
  ];
  for (const [ms, want] of cases) {
    test(`${ms} ms → ${want}`, () => assert.equal(formatTimeLeft(at(ms), now), want));
  }

  test('rejects an unparseable date or a non-finite now', () => {
    assert.throws(() => formatTimeLeft('not a date', now), RangeError);
    assert.throws(() => formatTimeLeft('', now), RangeError);
    assert.throws(() => formatTimeLeft(at(1000), Number.NaN), RangeError);
  });
});

test('roleLabel', () => {
  assert.equal(roleLabel('TRADING_ONLY'), 'Trading only');
  assert.equal(roleLabel('FULL_ACCESS'), 'Full access');
});

test('describeRequestTypes', () => {
  assert.equal(describeRequestTypes(null), 'Any request type');
  assert.equal(describeRequestTypes([]), 'None');
  assert.equal(describeRequestTypes([7]), '7');
  assert.equal(describeRequestTypes([1, 2, 14]), '1, 2, 14');
});

test('subaccountLabel', () => {
  assert.equal(subaccountLabel(null), 'Main account');
  assert.equal(subaccountLabel(0), 'Subaccount 0');
  assert.equal(subaccountLabel(3), 'Subaccount 3');
});

test('shortKey', () => {
  assert.equal(shortKey('q83vEjRWeJq8zN7vASNFZ4mrze8BI0VniavN7wEjRWc='), 'q83vEjRW…');
  assert.equal(shortKey('abcdefgh'), 'abcdefgh');
  assert.equal(shortKey(''), '');
});

describe('isPunycodeHost', () => {
  const cases: Array<[string, boolean]> = [
    ['https://app.example.com', false],
    ['http://localhost:5173', false],
    ['https://xn--exmple-cua.com', true],
    ['https://app.xn--80ak6aa92e.com', true],
    ['https://XN--EXMPLE-CUA.com', true],
    ['https://exämple.com', true], // the URL parser turns it into punycode
    ['https://notxn--really.example', false],
    ['null', false],
    ['', false],
  ];
  for (const [origin, want] of cases) {
    test(`${JSON.stringify(origin)} → ${want}`, () => assert.equal(isPunycodeHost(origin), want));
  }
});

describe('originParts', () => {
  test('splits scheme, host and port', () => {
    assert.deepEqual(originParts('https://app.example.com'), { scheme: 'https://', host: 'app.example.com', port: '' });
    assert.deepEqual(originParts('http://localhost:5173'), { scheme: 'http://', host: 'localhost', port: ':5173' });
    assert.deepEqual(originParts('https://a.example:443'), { scheme: 'https://', host: 'a.example', port: '' });
  });
  test('shows anything else whole, as the host', () => {
    assert.deepEqual(originParts('null'), { scheme: '', host: 'null', port: '' });
    assert.deepEqual(originParts(''), { scheme: '', host: '', port: '' });
  });
});

test('groupByOrigin keeps the order of first appearance', () => {
  const s = (id: string, origin: string) => ({ id, origin }) as SessionView;
  const groups = groupByOrigin([s('1', 'https://a.example'), s('2', 'https://b.example'), s('3', 'https://a.example')]);
  assert.deepEqual(
    groups.map((g) => [g.origin, g.sessions.map((x) => x.id)]),
    [
      ['https://a.example', ['1', '3']],
      ['https://b.example', ['2']],
    ],
  );
  assert.deepEqual(groupByOrigin([]), []);
});
