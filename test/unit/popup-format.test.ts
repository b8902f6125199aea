/**
 * The popup's pure formatting: durations, countdowns, roles, request types, origins.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeRequestTypes,
  formatBytes,
  formatDuration,
  formatTimeLeft,
  formatWhen,
  isPunycodeHost,
  originParts,
  roleLabel,
  shortId,
  shortKey,
  subaccountLabel,
} from '../../popup/format.js';
import { buildSites, groupByOrigin, sessionStatus } from '../../popup/session-groups.js';
import { tCount } from '../../popup/i18n.js';
import type { RevocationView, SessionView } from '../../src/protocol/extension-rpc.js';
import type { ConnectedSite } from '../../src/protocol/vault-rpc.js';

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

describe('formatWhen', () => {
  const now = new Date(2025, 2, 4, 15, 30, 0).getTime(); // local time: the popup shows local time
  test('today: the clock with seconds', () => {
    assert.equal(formatWhen(new Date(2025, 2, 4, 14, 3, 9).getTime(), now), '14:03:09');
    assert.equal(formatWhen(new Date(2025, 2, 4, 0, 0, 0).getTime(), now), '00:00:00');
  });
  test('an earlier day: the date and the minute; another year: the year too', () => {
    assert.equal(formatWhen(new Date(2025, 2, 3, 23, 59, 59).getTime(), now), 'Mar 3, 23:59');
    assert.equal(formatWhen(new Date(2024, 11, 31, 8, 5).getTime(), now), 'Dec 31 2024, 08:05');
  });
  test('rejects non-finite times', () => {
    assert.throws(() => formatWhen(Number.NaN, now), RangeError);
    assert.throws(() => formatWhen(now, Number.POSITIVE_INFINITY), RangeError);
  });
});

test('shortId, and counts with their noun (tCount)', () => {
  assert.equal(shortId('01a216eb-d841-72b7-90ab-bf6acff8d445'), '…bf6acff8d445');
  assert.equal(shortId('abc'), 'abc');
  assert.equal(tCount(1, 'sessionsCount_one', 'sessionsCount_other'), '1 session');
  assert.equal(tCount(0, 'sessionsCount_one', 'sessionsCount_other'), '0 sessions');
  assert.equal(tCount(2, 'sessionsCount_one', 'sessionsCount_other'), '2 sessions');
});

describe('formatBytes', () => {
  const cases: Array<[number | null, string]> = [
    [null, 'unknown'],
    [0, '0 bytes'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [1_000, '1 kB'],
    [204_870, '205 kB'],
    [10 * 2 ** 30, '10.7 GB'],
    [82_191_074_100, '82.2 GB'],
    [135_276_587_008, '135 GB'],
    [8e15, '8000 TB'],
  ];
  for (const [bytes, expected] of cases) {
    test(`${bytes} → ${expected}`, () => assert.equal(formatBytes(bytes), expected));
  }
});

describe('sessionStatus', () => {
  const now = Date.parse('2025-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(now + ms).toISOString();
  test('active, login pending, expired (expiry wins)', () => {
    assert.equal(sessionStatus({ validUntil: at(1000) }, now), 'active');
    assert.equal(sessionStatus({ validUntil: at(1000), status: 'active' }, now), 'active');
    assert.equal(sessionStatus({ validUntil: at(1000), status: 'pending' }, now), 'login-pending');
    assert.equal(sessionStatus({ validUntil: at(0) }, now), 'expired');
    assert.equal(sessionStatus({ validUntil: at(-1), status: 'pending' }, now), 'expired');
  });
});

test('buildSites: sites with sessions first, then owed revocations, then connections only (newest first)', () => {
  const s = (id: string, origin: string) => ({ id, origin }) as SessionView;
  const owed = (sessionId: string, origin: string) => ({ sessionId, origin }) as RevocationView;
  const conn = (origin: string, grantedAt: number): ConnectedSite => ({ origin, accounts: ['0xabc'], grantedAt });
  const sites = buildSites(
    [s('1', 'https://a.example'), s('2', 'https://b.example'), s('3', 'https://a.example')],
    [conn('https://old.example', 1), conn('https://a.example', 2), conn('https://new.example', 3)],
    [owed('9', 'https://c.example'), owed('8', 'https://b.example')],
  );
  assert.deepEqual(
    sites.map((x) => [x.origin, x.sessions.map((y) => y.id), x.owed.map((y) => y.sessionId), x.connection?.grantedAt ?? null]),
    [
      ['https://a.example', ['1', '3'], [], 2],
      ['https://b.example', ['2'], ['8'], null],
      ['https://c.example', [], ['9'], null],
      ['https://new.example', [], [], 3],
      ['https://old.example', [], [], 1],
    ],
  );
  assert.deepEqual(buildSites([], [], []), []);
});
