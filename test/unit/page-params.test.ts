/**
 * The page API validators: a table of bad params for every page method (each must be a -32602
 * whose message names the field), the defaults of the good cases, and a property: no input
 * makes a validator throw anything but -32602.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProviderRpcError } from '../../src/protocol/errors.js';
import type { PageMethod } from '../../src/protocol/page-api.js';
import { MAX_REQUEST_TYPES, isPageMethod, pageParamParsers } from '../../src/protocol/page-params.js';
import { MAX_BODY_BYTES } from '../../src/wire/payload.js';
import { walletCases } from './wallet-params-cases.js';

const SID = '01977420-dc00-7000-8000-000000000000';
const BODY = Buffer.from('{"a":1}').toString('base64');

function rejects(method: PageMethod, params: unknown, field: string): void {
  assert.throws(
    () => pageParamParsers[method](params),
    (e: unknown) => {
      assert.ok(e instanceof ProviderRpcError, `ProviderRpcError expected, got ${String(e)}`);
      assert.equal(e.code, -32602, e.message);
      assert.ok(e.message.includes(field), `message names "${field}": ${e.message}`);
      return true;
    },
  );
}

class Params {
  ttlSeconds = 60;
}

/** Values of the wrong type for a number, string or object field. */
const WRONG_TYPES: [string, unknown][] = [
  ['null', null],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['1.5', 1.5],
  ['"60"', '60'],
  ['true', true],
  ['{}', {}],
  ['[]', []],
  ['Uint8Array', new Uint8Array(4)],
  ['60n', 60n],
];

type Case = [name: string, params: unknown, field: string];

const createCases: Case[] = [
  ['params undefined', undefined, 'params'],
  ['params null', null, 'params'],
  ['params an object, not an array', { ttlSeconds: 60 }, 'params'],
  ['params []', [], 'params'],
  ['params array of two', [{ ttlSeconds: 60 }, { ttlSeconds: 60 }], 'params'],
  ['params[0] null', [null], 'params[0]'],
  ['params[0] an array', [[60]], 'params[0]'],
  ['params[0] a string', ['x'], 'params[0]'],
  ['params[0] a Uint8Array', [new Uint8Array(2)], 'params[0]'],
  ['params[0] a class instance', [new Params()], 'params[0]'],
  ['params[0] a Date', [new Date()], 'params[0]'],
  ['params[0] a Map', [new Map([['ttlSeconds', 60]])], 'params[0]'],
  ['missing ttlSeconds', [{}], 'ttlSeconds'],
  ['extra field', [{ ttlSeconds: 60, evil: 1 }], 'evil'],
  ['own __proto__ key', [JSON.parse('{"__proto__": 1, "ttlSeconds": 60}')], '__proto__'],
  ['own __proto__ object', [JSON.parse('{"__proto__": {"role": "FULL_ACCESS"}, "ttlSeconds": 60}')], '__proto__'],
  ['own constructor key', [JSON.parse('{"constructor": 1, "ttlSeconds": 60}')], 'constructor'],
  ['own prototype key', [JSON.parse('{"prototype": 1, "ttlSeconds": 60}')], 'prototype'],
  ['ttlSeconds 59', [{ ttlSeconds: 59 }], 'ttlSeconds'],
  ['ttlSeconds 0', [{ ttlSeconds: 0 }], 'ttlSeconds'],
  ['ttlSeconds -60', [{ ttlSeconds: -60 }], 'ttlSeconds'],
  ['ttlSeconds 604801', [{ ttlSeconds: 604_801 }], 'ttlSeconds'],
  ['ttlSeconds 2**53', [{ ttlSeconds: 2 ** 53 }], 'ttlSeconds'],
  ...WRONG_TYPES.map(([n, v]): Case => [`ttlSeconds ${n}`, [{ ttlSeconds: v }], 'ttlSeconds']),
  ['role "ADMIN"', [{ ttlSeconds: 60, role: 'ADMIN' }], 'role'],
  ['role lower case', [{ ttlSeconds: 60, role: 'trading_only' }], 'role'],
  ['role null', [{ ttlSeconds: 60, role: null }], 'role'],
  ['role 1', [{ ttlSeconds: 60, role: 1 }], 'role'],
  ['subaccountIndex -1', [{ ttlSeconds: 60, subaccountIndex: -1 }], 'subaccountIndex'],
  ['subaccountIndex 2**31', [{ ttlSeconds: 60, subaccountIndex: 2 ** 31 }], 'subaccountIndex'],
  ...WRONG_TYPES.filter(([, v]) => v !== null).map(
    ([n, v]): Case => [`subaccountIndex ${n}`, [{ ttlSeconds: 60, subaccountIndex: v }], 'subaccountIndex'],
  ),
  ['requestTypes []', [{ ttlSeconds: 60, requestTypes: [] }], 'requestTypes'],
  ['requestTypes [70000]', [{ ttlSeconds: 60, requestTypes: [70_000] }], 'requestTypes'],
  ['requestTypes [65536]', [{ ttlSeconds: 60, requestTypes: [65_536] }], 'requestTypes'],
  ['requestTypes [-1]', [{ ttlSeconds: 60, requestTypes: [-1] }], 'requestTypes'],
  ['requestTypes [1.5]', [{ ttlSeconds: 60, requestTypes: [1.5] }], 'requestTypes'],
  ['requestTypes [NaN]', [{ ttlSeconds: 60, requestTypes: [NaN] }], 'requestTypes'],
  ['requestTypes [null]', [{ ttlSeconds: 60, requestTypes: [null] }], 'requestTypes'],
  ['requestTypes ["1"]', [{ ttlSeconds: 60, requestTypes: ['1'] }], 'requestTypes'],
  ['requestTypes with a hole', [{ ttlSeconds: 60, requestTypes: [1, , 2] }], 'requestTypes'], // eslint-disable-line no-sparse-arrays
  ['requestTypes 1025 entries', [{ ttlSeconds: 60, requestTypes: Array.from({ length: MAX_REQUEST_TYPES + 1 }, (_, i) => i) }], 'requestTypes'],
  ['requestTypes "1"', [{ ttlSeconds: 60, requestTypes: '1' }], 'requestTypes'],
  ['requestTypes 1', [{ ttlSeconds: 60, requestTypes: 1 }], 'requestTypes'],
  ['requestTypes {}', [{ ttlSeconds: 60, requestTypes: { 0: 1, length: 1 } }], 'requestTypes'],
  ['requestTypes Uint16Array', [{ ttlSeconds: 60, requestTypes: Uint16Array.of(1) }], 'requestTypes'],
  ['label 65 chars', [{ ttlSeconds: 60, label: 'x'.repeat(65) }], 'label'],
  ['label 65 emoji', [{ ttlSeconds: 60, label: '\u{1F511}'.repeat(65) }], 'label'],
  ['label with U+202E', [{ ttlSeconds: 60, label: 'pay \u202egnp.exe' }], 'label'],
  ['label with U+2066', [{ ttlSeconds: 60, label: 'a\u2066b' }], 'label'],
  ['label with \\n', [{ ttlSeconds: 60, label: 'line\nbreak' }], 'label'],
  ['label with NUL', [{ ttlSeconds: 60, label: 'a\0b' }], 'label'],
  ['label with DEL', [{ ttlSeconds: 60, label: 'a\x7fb' }], 'label'],
  // Attack 9: a tower of combining marks draws over the FULL_ACCESS warning.
  ['label x + 61 combining accents', [{ ttlSeconds: 60, label: `x${'\u0301'.repeat(61)}` }], 'label'],
  ['label with 5 stacked marks', [{ ttlSeconds: 60, label: `ok a${'\u0316'.repeat(5)}` }], 'label'],
  ['label a number', [{ ttlSeconds: 60, label: 5 }], 'label'],
  ['label an array', [{ ttlSeconds: 60, label: ['a'] }], 'label'],
  ['service not an object', [{ ttlSeconds: 60, service: 'https://a.example' }], 'service'],
  ['service without baseUrl', [{ ttlSeconds: 60, service: {} }], 'service.baseUrl'],
  ['service.baseUrl not a URL', [{ ttlSeconds: 60, service: { baseUrl: 'nope' } }], 'service.baseUrl'],
  ['service.baseUrl ftp', [{ ttlSeconds: 60, service: { baseUrl: 'ftp://a.example' } }], 'service.baseUrl'],
  ['service.baseUrl plain http to a remote host', [{ ttlSeconds: 60, service: { baseUrl: 'http://a.example' } }], 'service.baseUrl'],
  ['service.baseUrl plain http to [::1] (the CSP allows only localhost and 127.0.0.1)', [{ ttlSeconds: 60, service: { baseUrl: 'http://[::1]:8080' } }], 'service.baseUrl'],
  ['service.baseUrl plain http to 127.0.0.2', [{ ttlSeconds: 60, service: { baseUrl: 'http://127.0.0.2:8080' } }], 'service.baseUrl'],
  ['service.baseUrl with a path', [{ ttlSeconds: 60, service: { baseUrl: 'https://a.example/api' } }], 'service.baseUrl'],
  ['service.baseUrl with a query', [{ ttlSeconds: 60, service: { baseUrl: 'https://a.example/?x=1' } }], 'service.baseUrl'],
  ['service.baseUrl with credentials', [{ ttlSeconds: 60, service: { baseUrl: 'https://u:p@a.example' } }], 'service.baseUrl'],
  ['service.master "ed25519"', [{ ttlSeconds: 60, service: { baseUrl: 'https://a.example', master: 'ed25519' } }], 'service.master'],
  ['service extra field deviceKey', [{ ttlSeconds: 60, service: { baseUrl: 'https://a.example', deviceKey: 'x' } }], 'deviceKey'],
];

const signOk = { sessionId: SID, requestType: 1, body: BODY };
const signCases: Case[] = [
  ['params undefined', undefined, 'params'],
  ['params not an array', signOk, 'params'],
  ['params array of two', [signOk, signOk], 'params'],
  ['params[0] a class instance', [Object.assign(new Params(), signOk)], 'params[0]'],
  ['extra field', [{ ...signOk, evil: 1 }], 'evil'],
  ['extra field requestId (chosen by the worker)', [{ ...signOk, requestId: SID }], 'requestId'],
  ['extra field issuedAtMs (chosen by the worker)', [{ ...signOk, issuedAtMs: 1 }], 'issuedAtMs'],
  ['own __proto__ key', [{ ...JSON.parse('{"__proto__": {"x": 1}}'), ...signOk }], '__proto__'],
  ['own constructor key', [{ ...JSON.parse('{"constructor": 1}'), ...signOk }], 'constructor'],
  ['missing sessionId', [{ requestType: 1, body: BODY }], 'sessionId'],
  ['sessionId not a UUID', [{ ...signOk, sessionId: 'abc' }], 'sessionId'],
  ['sessionId without hyphens', [{ ...signOk, sessionId: SID.replaceAll('-', '') }], 'sessionId'],
  ['sessionId with braces', [{ ...signOk, sessionId: `{${SID}}` }], 'sessionId'],
  ['sessionId with trailing newline', [{ ...signOk, sessionId: `${SID}\n` }], 'sessionId'],
  ['sessionId a number', [{ ...signOk, sessionId: 1 }], 'sessionId'],
  ['sessionId null', [{ ...signOk, sessionId: null }], 'sessionId'],
  ['missing requestType', [{ sessionId: SID, body: BODY }], 'requestType'],
  ['requestType -1', [{ ...signOk, requestType: -1 }], 'requestType'],
  ['requestType 65536', [{ ...signOk, requestType: 65_536 }], 'requestType'],
  ...WRONG_TYPES.map(([n, v]): Case => [`requestType ${n}`, [{ ...signOk, requestType: v }], 'requestType']),
  ['missing body', [{ sessionId: SID, requestType: 1 }], 'body'],
  ['body "abc"', [{ ...signOk, body: 'abc' }], 'body'],
  ['body "ab=c"', [{ ...signOk, body: 'ab=c' }], 'body'],
  ['body "=abc"', [{ ...signOk, body: '=abc' }], 'body'],
  ['body "not base64!"', [{ ...signOk, body: 'not base64!' }], 'body'],
  ['body URL-safe "-_"', [{ ...signOk, body: 'ab-_' }], 'body'],
  ['body with a space', [{ ...signOk, body: 'Zm 8=' }], 'body'],
  ['body with a newline', [{ ...signOk, body: 'Zm9v\nYmFy' }], 'body'],
  ['body non-canonical "Zm9=" ', [{ ...signOk, body: 'Zm9=' }], 'body'],
  ['body unpadded "Zm8"', [{ ...signOk, body: 'Zm8' }], 'body'],
  ['body 65537 decoded bytes', [{ ...signOk, body: Buffer.alloc(MAX_BODY_BYTES + 1).toString('base64') }], 'body'],
  ['body 1 MB of text', [{ ...signOk, body: 'A'.repeat(1 << 20) }], 'body'],
  // A Uint8Array body is accepted since issue 12 (bytes without base64; see the good params below).
  ...WRONG_TYPES.filter(([n]) => n !== 'Uint8Array').map(([n, v]): Case => [`body ${n}`, [{ ...signOk, body: v }], 'body']),
  ['body Uint16Array', [{ ...signOk, body: new Uint16Array(2) }], 'body'],
  ['encoding "hex"', [{ ...signOk, encoding: 'hex' }], 'encoding'],
  ['encoding "JSON"', [{ ...signOk, encoding: 'JSON' }], 'encoding'],
  ['encoding null', [{ ...signOk, encoding: null }], 'encoding'],
  ['encoding 1', [{ ...signOk, encoding: 1 }], 'encoding'],
];

const revokeCases: Case[] = [
  ['params undefined', undefined, 'params'],
  ['params []', [], 'params'],
  ['params a string', SID, 'params'],
  ['params [string]', [SID], 'params[0]'],
  ['params array of two', [{ sessionId: SID }, { sessionId: SID }], 'params'],
  ['missing sessionId', [{}], 'sessionId'],
  ['sessionId not a UUID', [{ sessionId: 'not-a-uuid' }], 'sessionId'],
  ['sessionId a number', [{ sessionId: 7 }], 'sessionId'],
  ['extra field', [{ sessionId: SID, evil: 1 }], 'evil'],
  ['extra field origin (origin comes from the browser)', [{ sessionId: SID, origin: 'https://b.example' }], 'origin'],
  ['own __proto__ key', [JSON.parse(`{"__proto__": 1, "sessionId": "${SID}"}`)], '__proto__'],
  ['a class instance', [Object.assign(new Params(), { sessionId: SID })], 'params[0]'],
];

const listCases: Case[] = [
  ['[1]', [1], 'params'],
  ['[{}]', [{}], 'params'],
  ['[null]', [null], 'params'],
  ['{}', {}, 'params'],
  ['null', null, 'params'],
  ['"x"', 'x', 'params'],
  ['0', 0, 'params'],
];

const SIG = `0x${'11'.repeat(64)}1b`;
const PASSKEY = { credentialId: 'AQID', authenticatorData: 'AQID', clientDataJSON: 'e30=', signature: 'MEQ=' };
const completeCases: Case[] = [
  ['params undefined', undefined, 'params'],
  ['missing sessionId', [{ signature: SIG }], 'sessionId'],
  ['neither signature nor passkey', [{ sessionId: SID }], 'exactly one of signature or passkey'],
  ['both signature and passkey', [{ sessionId: SID, signature: SIG, passkey: PASSKEY }], 'exactly one of signature or passkey'],
  ['signature without 0x', [{ sessionId: SID, signature: SIG.slice(2) }], 'signature'],
  ['signature 64 bytes', [{ sessionId: SID, signature: `0x${'11'.repeat(64)}` }], 'signature'],
  ['signature 66 bytes', [{ sessionId: SID, signature: `${SIG}00` }], 'signature'],
  ['signature not hex', [{ sessionId: SID, signature: `0x${'zz'.repeat(65)}` }], 'signature'],
  ['signature v = 29', [{ sessionId: SID, signature: `0x${'11'.repeat(64)}1d` }], 'signature'],
  ['signature base64', [{ sessionId: SID, signature: Buffer.alloc(65).toString('base64') }], 'signature'],
  ...WRONG_TYPES.map(([n, v]): Case => [`signature ${n}`, [{ sessionId: SID, signature: v }], 'signature']),
  ['passkey not an object', [{ sessionId: SID, passkey: 'x' }], 'passkey'],
  ['passkey extra field', [{ sessionId: SID, passkey: { ...PASSKEY, rpId: 'x' } }], 'rpId'],
  ['passkey missing credentialId', [{ sessionId: SID, passkey: { ...PASSKEY, credentialId: undefined } }], 'passkey.credentialId'],
  ['passkey bad base64 authenticatorData', [{ sessionId: SID, passkey: { ...PASSKEY, authenticatorData: 'a-b_' } }], 'passkey.authenticatorData'],
  ['passkey huge clientDataJSON', [{ sessionId: SID, passkey: { ...PASSKEY, clientDataJSON: 'A'.repeat(20_000) } }], 'passkey.clientDataJSON'],
  ['passkey signature a number', [{ sessionId: SID, passkey: { ...PASSKEY, signature: 1 } }], 'passkey.signature'],
  ['extra field', [{ sessionId: SID, signature: SIG, evil: 1 }], 'evil'],
  ['own __proto__ key', [JSON.parse(`{"__proto__": 1, "sessionId": "${SID}", "signature": "${SIG}"}`)], '__proto__'],
];

const sendOk = { sessionId: SID, path: '/api/v1/orders', requestType: 1, body: BODY };
const sendCases: Case[] = [
  ['params undefined', undefined, 'params'],
  ['missing path', [{ sessionId: SID, requestType: 1, body: BODY }], 'path'],
  ['path without a leading slash', [{ ...sendOk, path: 'api/v1/orders' }], 'path'],
  ['path naming another origin "//evil.example/x"', [{ ...sendOk, path: '//evil.example/x' }], 'path'],
  ['path an absolute URL', [{ ...sendOk, path: 'https://evil.example/x' }], 'path'],
  ['path with a space', [{ ...sendOk, path: '/a b' }], 'path'],
  ['path with a fragment', [{ ...sendOk, path: '/a#b' }], 'path'],
  ['path with a backslash', [{ ...sendOk, path: '/\\evil.example' }], 'path'],
  ['path with a newline', [{ ...sendOk, path: '/a\nb' }], 'path'],
  ['path 3000 characters', [{ ...sendOk, path: `/${'a'.repeat(3000)}` }], 'path'],
  ...WRONG_TYPES.map(([n, v]): Case => [`path ${n}`, [{ ...sendOk, path: v }], 'path']),
  ['requestType 65536', [{ ...sendOk, requestType: 65_536 }], 'requestType'],
  ['body bad base64', [{ ...sendOk, body: 'not base64!' }], 'body'],
  ['body 65537 decoded bytes', [{ ...sendOk, body: Buffer.alloc(MAX_BODY_BYTES + 1).toString('base64') }], 'body'],
  ['sessionId not a UUID', [{ ...sendOk, sessionId: 'x' }], 'sessionId'],
  ['extra field headers', [{ ...sendOk, headers: { 'X-DEVICE-KEY': 'x' } }], 'headers'],
  ['extra field baseUrl', [{ ...sendOk, baseUrl: 'https://evil.example' }], 'baseUrl'],
];

const TABLE: Record<PageMethod, Case[]> = {
  keyhold_completeSession: completeCases,
  keyhold_send: sendCases,
  keyhold_createSession: createCases,
  keyhold_signRequest: signCases,
  keyhold_revokeSession: revokeCases,
  keyhold_listSessions: listCases,
  ...walletCases,
};

describe('bad params: -32602 naming the field', () => {
  for (const [method, cases] of Object.entries(TABLE) as [PageMethod, Case[]][]) {
    describe(method, () => {
      for (const [name, params, field] of cases) test(name, () => rejects(method, params, field));
    });
  }

  test('every page method has a table of bad inputs', () => {
    assert.deepEqual(Object.keys(TABLE).sort(), Object.keys(pageParamParsers).sort());
  });

  test('the method name is in the message for a wrong params shape', () => {
    rejects('keyhold_signRequest', 5, 'keyhold_signRequest');
    rejects('keyhold_revokeSession', 5, 'keyhold_revokeSession');
  });

  test('a long unknown key is cut in the message', () => {
    const key = 'k'.repeat(10_000);
    assert.throws(
      () => pageParamParsers.keyhold_createSession([{ ttlSeconds: 60, [key]: 1 }]),
      (e: ProviderRpcError) => e.code === -32602 && e.message.length < 200,
    );
  });
});

describe('keyhold_createSession good params', () => {
  const parse = pageParamParsers.keyhold_createSession;

  test('defaults', () => {
    assert.deepEqual(parse([{ ttlSeconds: 60 }]), {
      ttlSeconds: 60,
      role: 'TRADING_ONLY',
      subaccountIndex: null,
      requestTypes: null,
      label: null,
    });
  });

  test('explicit undefined means the default', () => {
    assert.deepEqual(parse([{ ttlSeconds: 60, role: undefined, label: undefined }]).role, 'TRADING_ONLY');
  });

  test('every field given', () => {
    assert.deepEqual(
      parse([{ ttlSeconds: 604_800, role: 'FULL_ACCESS', subaccountIndex: 2 ** 31 - 1, requestTypes: [0, 65_535], label: 'Desk' }]),
      { ttlSeconds: 604_800, role: 'FULL_ACCESS', subaccountIndex: 2 ** 31 - 1, requestTypes: [0, 65_535], label: 'Desk' },
    );
  });

  test('null subaccountIndex, requestTypes and label are accepted', () => {
    const p = parse([{ ttlSeconds: 60, subaccountIndex: null, requestTypes: null, label: null }]);
    assert.equal(p.subaccountIndex, null);
    assert.equal(p.requestTypes, null);
    assert.equal(p.label, null);
  });

  test('requestTypes are sorted and deduplicated', () => {
    assert.deepEqual(parse([{ ttlSeconds: 60, requestTypes: [10, 2, 10, 300, 2, 0] }]).requestTypes, [0, 2, 10, 300]);
  });

  test('requestTypes of exactly 1024 entries are accepted', () => {
    const types = Array.from({ length: MAX_REQUEST_TYPES }, (_, i) => MAX_REQUEST_TYPES - i);
    assert.equal(parse([{ ttlSeconds: 60, requestTypes: types }]).requestTypes!.length, MAX_REQUEST_TYPES);
  });

  test('a label of 64 emoji counts code points, not UTF-16 units', () => {
    const label = '\u{1F511}'.repeat(64);
    assert.equal(label.length, 128);
    assert.equal(parse([{ ttlSeconds: 60, label }]).label, label);
  });

  test('a label of 64 plain characters, and one with ordinary punctuation and accents', () => {
    assert.equal(parse([{ ttlSeconds: 60, label: 'x'.repeat(64) }]).label, 'x'.repeat(64));
    assert.equal(parse([{ ttlSeconds: 60, label: 'Café — desk #2' }]).label, 'Café — desk #2');
  });

  test('labels in scripts that stack marks (Vietnamese, Hindi, Hebrew with points, a keycap emoji) pass; 4 marks in a row is the most', () => {
    for (const text of ['Phiên giao dịch', 'Tiếng Việt ệ̃', 'व्यापार सत्र', 'שָׁלוֹם', '1\uFE0F\u20E3 desk', `a${'\u0301'.repeat(4)}`]) {
      assert.equal(parse([{ ttlSeconds: 60, label: text.normalize('NFD') }]).label, text.normalize('NFD'));
    }
  });

  test('a null-prototype object is a plain object', () => {
    const o = Object.assign(Object.create(null) as object, { ttlSeconds: 90 });
    assert.equal(parse([o]).ttlSeconds, 90);
  });
});

describe('keyhold_signRequest good params', () => {
  const parse = pageParamParsers.keyhold_signRequest;

  test('decodes the body, defaults to json, lower-cases the id', () => {
    const p = parse([{ sessionId: SID.toUpperCase(), requestType: 65_535, body: BODY }]);
    assert.equal(p.sessionId, SID);
    assert.equal(p.requestType, 65_535);
    assert.equal(p.encoding, 'json');
    assert.ok(p.body instanceof Uint8Array);
    assert.equal(Buffer.from(p.body).toString(), '{"a":1}');
  });

  test('bytes: a Uint8Array body is taken as it is (copied), up to the largest; encoding bytes', () => {
    const body = Uint8Array.of(1, 2, 3);
    const p = parse([{ ...signOk, body, encoding: 'bytes' }]);
    assert.equal(p.encoding, 'bytes');
    assert.deepEqual(p.body, body);
    body[0] = 9;
    assert.equal(p.body[0], 1, 'a copy: the caller cannot change what is signed');
    assert.equal(parse([{ ...signOk, body: new Uint8Array(MAX_BODY_BYTES) }]).body.length, MAX_BODY_BYTES);
    assert.throws(() => parse([{ ...signOk, body: new Uint8Array(MAX_BODY_BYTES + 1) }]), (e: ProviderRpcError) => e.code === -32602 && /at most 65536 bytes/.test(e.message));
    // Other views and buffers are not bodies.
    for (const bad of [new Uint16Array(2), new ArrayBuffer(2), new DataView(new ArrayBuffer(2)), { 0: 1, length: 1 }]) {
      assert.throws(() => parse([{ ...signOk, body: bad }]), (e: ProviderRpcError) => e.code === -32602, String(bad));
    }
  });

  test('binary encoding, empty body, largest body', () => {
    assert.equal(parse([{ ...signOk, encoding: 'binary' }]).encoding, 'binary');
    assert.equal(parse([{ ...signOk, body: '' }]).body.length, 0);
    const big = Buffer.alloc(MAX_BODY_BYTES, 7).toString('base64');
    assert.equal(parse([{ ...signOk, body: big }]).body.length, MAX_BODY_BYTES);
  });
});

describe('keyhold_revokeSession and keyhold_listSessions good params', () => {
  test('revoke takes one session id', () => {
    assert.deepEqual(pageParamParsers.keyhold_revokeSession([{ sessionId: SID }]), { sessionId: SID });
  });

  test('listSessions takes undefined or []', () => {
    assert.equal(pageParamParsers.keyhold_listSessions(undefined), null);
    assert.equal(pageParamParsers.keyhold_listSessions([]), null);
  });
});

describe('isPageMethod', () => {
  test('knows the four methods and nothing inherited', () => {
    for (const m of Object.keys(pageParamParsers)) assert.equal(isPageMethod(m), true, m);
    for (const m of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'keyhold_', 'eth_sign', '']) {
      assert.equal(isPageMethod(m), false, m);
    }
  });
});

describe('property: nothing but -32602 escapes', () => {
  const onlyInvalidParams = (method: PageMethod, params: unknown): void => {
    try {
      pageParamParsers[method](params);
    } catch (e) {
      if (!(e instanceof ProviderRpcError) || e.code !== -32602) {
        throw new Error(`${method} threw ${String(e)} for ${String(params)}`, { cause: e });
      }
    }
  };
  const methods = fc.constantFrom(...(Object.keys(pageParamParsers) as PageMethod[]));
  const fields = fc.constantFrom('ttlSeconds', 'role', 'subaccountIndex', 'requestTypes', 'label', 'sessionId', 'requestType', 'body', 'encoding', '__proto__', 'constructor');

  test('fc.anything() as params', () => {
    fc.assert(
      fc.property(methods, fc.anything({ withNullPrototype: true, withSparseArray: true, withBoxedValues: true, withTypedArray: true, withBigInt: true, withMap: true, withSet: true, withDate: true }), (m, v) =>
        onlyInvalidParams(m, v),
      ),
      { numRuns: 2000 },
    );
  });

  test('[{ known field: anything }] reaches every field validator', () => {
    fc.assert(
      fc.property(methods, fc.dictionary(fields, fc.anything({ withSparseArray: true, withNullPrototype: true }), { maxKeys: 5 }), (m, o) =>
        onlyInvalidParams(m, [o]),
      ),
      { numRuns: 3000 },
    );
  });

  test('[{ known field: JSON }] as the relay delivers it', () => {
    fc.assert(
      fc.property(methods, fc.dictionary(fields, fc.jsonValue(), { maxKeys: 5 }), (m, o) => onlyInvalidParams(m, JSON.parse(JSON.stringify([o])))),
      { numRuns: 3000 },
    );
  });

  test('what passes is well-typed', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            ttlSeconds: fc.integer({ min: 0, max: 700_000 }),
            requestTypes: fc.option(
              fc.oneof(
                fc.array(fc.oneof(fc.integer({ min: -2, max: 70_000 }), fc.constant(undefined)), { maxLength: 8 }),
                fc.sparseArray(fc.integer({ min: 0, max: 65_535 }), { maxLength: 8 }),
              ),
              { nil: null },
            ),
            label: fc.option(fc.string({ maxLength: 70 }), { nil: null }),
          },
          { requiredKeys: ['ttlSeconds'] },
        ),
        (o) => {
          let p;
          try {
            p = pageParamParsers.keyhold_createSession([o]);
          } catch (e) {
            assert.ok(e instanceof ProviderRpcError && e.code === -32602);
            return;
          }
          assert.ok(p.ttlSeconds >= 60 && p.ttlSeconds <= 604_800);
          if (p.requestTypes !== null) {
            assert.ok(p.requestTypes.length > 0);
            for (const t of p.requestTypes) assert.ok(Number.isInteger(t) && t >= 0 && t <= 65_535, `bad type ${t}`);
          }
          if (p.label !== null) assert.ok([...p.label].length <= 64);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
