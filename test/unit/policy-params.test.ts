/**
 * Malformed policies and descriptors: every field refused with -32602 naming it inside `policy`
 * (or `descriptor`), and the hostile schemas (huge, deep, cyclic $ref, catastrophic pattern,
 * billion laughs) refused quickly, before anything is made.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCreateSession } from '../../src/protocol/page-params.js';
import { parsePolicy } from '../../src/protocol/policy-params.js';
import { parseDescriptor } from '../../src/protocol/descriptor-params.js';
import { ProviderRpcError } from '../../src/protocol/errors.js';
import { tightenPolicy } from '../../src/policy/tighten.js';
import { hasDuplicateKey, parseStrictJson } from '../../src/policy/strict-json.js';
import { policyWords } from '../../popup/policy-words.js';
import { previewBody, summarize } from '../../src/policy/body-preview.js';

function refused(fn: () => unknown, field: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ProviderRpcError, `expected ProviderRpcError, got ${String(err)}`);
    assert.equal(err.code, -32602);
    if (typeof field === 'string') assert.ok(err.message.startsWith(field) || err.message.includes(field), `"${err.message}" should name ${field}`);
    else assert.match(err.message, field);
    return true;
  });
}

const create = (policy: unknown, extra: Record<string, unknown> = {}) => parseCreateSession([{ ttlSeconds: 3600, requestTypes: [1, 2], policy, ...extra }]);

describe('policy: each malformed field named', () => {
  const cases: Array<[string, unknown, string | RegExp]> = [
    ['not an object', 5, 'policy must be an object'],
    ['an array', [], 'policy must be an object'],
    ['unknown field', { maxPerDay: 1 }, 'policy has an unknown field "maxPerDay"'],
    ['maxPerMinute 0', { maxPerMinute: 0 }, 'policy.maxPerMinute'],
    ['maxPerMinute negative', { maxPerMinute: -1 }, 'policy.maxPerMinute'],
    ['maxPerMinute fraction', { maxPerMinute: 1.5 }, 'policy.maxPerMinute'],
    ['maxPerMinute string', { maxPerMinute: '5' }, 'policy.maxPerMinute'],
    ['maxPerMinute too big', { maxPerMinute: 1e9 }, 'policy.maxPerMinute'],
    ['maxPerHour 0', { maxPerHour: 0 }, 'policy.maxPerHour'],
    ['maxPerHour NaN', { maxPerHour: Number.NaN }, 'policy.maxPerHour'],
    ['maxPerHour Infinity', { maxPerHour: Infinity }, 'policy.maxPerHour'],
    ['confirmTypes not array', { confirmTypes: 1 }, 'policy.confirmTypes'],
    ['confirmTypes empty', { confirmTypes: [] }, 'policy.confirmTypes'],
    ['confirmTypes bad entry', { confirmTypes: [1, 'x'] }, 'policy.confirmTypes[1]'],
    ['confirmTypes out of range', { confirmTypes: [70000] }, 'policy.confirmTypes[0]'],
    ['confirmTypes not granted', { confirmTypes: [7] }, 'policy.confirmTypes[0]'],
    ['rules not object', { rules: [] }, 'policy.rules must be an object'],
    ['rules empty', { rules: {} }, 'policy.rules'],
    ['rules key not a type', { rules: { x: {} } }, 'policy.rules has a key "x"'],
    ['rules key leading zero', { rules: { '01': {} } }, 'policy.rules has a key "01"'],
    ['rules key too big', { rules: { 65536: {} } }, 'policy.rules has a key "65536"'],
    ['rules type not granted', { rules: { 7: {} } }, 'policy.rules.7'],
    ['rule not a schema', { rules: { 1: 5 } }, 'policy.rules.1'],
    ['rule unknown keyword', { rules: { 1: { properties: { qty: { maximumm: 3 } } } } }, 'policy.rules.1/properties/qty/maximumm'],
    ['rule pattern', { rules: { 1: { properties: { s: { pattern: '^(a+)+$' } } } } }, 'policy.rules.1/properties/s/pattern'],
    ['rule patternProperties', { rules: { 1: { patternProperties: { '.*': {} } } } }, 'policy.rules.1/patternProperties'],
    ['rule format', { rules: { 1: { format: 'email' } } }, 'policy.rules.1/format'],
    ['rule uniqueItems', { rules: { 1: { uniqueItems: true } } }, 'policy.rules.1/uniqueItems'],
    ['rule $id', { rules: { 1: { $id: 'https://evil.example/s' } } }, 'policy.rules.1/$id'],
    ['rule $dynamicRef', { rules: { 1: { $dynamicRef: '#x' } } }, 'policy.rules.1/$dynamicRef'],
    ['rule remote $ref', { rules: { 1: { $ref: 'https://evil.example/s.json' } } }, 'policy.rules.1/$ref'],
    ['rule $ref to root', { rules: { 1: { $ref: '#' } } }, 'policy.rules.1/$ref'],
    ['rule $ref undefined', { rules: { 1: { $ref: '#/$defs/nope' } } }, /not defined/],
    ['rule $ref cycle', { rules: { 1: { $defs: { a: { $ref: '#/$defs/b' }, b: { allOf: [{ $ref: '#/$defs/a' }] } }, $ref: '#/$defs/a' } } }, /\$ref cycles/],
    ['rule self $ref', { rules: { 1: { $defs: { a: { properties: { x: { $ref: '#/$defs/a' } } } } } } }, /\$ref cycles/],
    ['rule wrong dialect', { rules: { 1: { $schema: 'http://json-schema.org/draft-07/schema#' } } }, 'policy.rules.1/$schema'],
    ['rule bad minimum', { rules: { 1: { minimum: '3' } } }, 'policy.rules.1/minimum'],
    ['rule bad type', { rules: { 1: { type: 'float' } } }, 'policy.rules.1/type'],
    ['rule nested $defs', { rules: { 1: { properties: { a: { $defs: {} } } } } }, 'policy.rules.1/properties/a/$defs'],
    ['rule multipleOf 0', { rules: { 1: { multipleOf: 0 } } }, 'policy.rules.1/multipleOf'],
    ['caps not array', { caps: {} }, 'policy.caps'],
    ['caps empty', { caps: [] }, 'policy.caps'],
    ['cap unknown field', { caps: [{ requestType: 1, pointer: '/qty', max: 1, sum: 1 }] }, 'policy.caps[0] has an unknown field "sum"'],
    ['cap requestType missing', { caps: [{ pointer: '/qty', max: 1 }] }, 'policy.caps[0].requestType'],
    ['cap requestType not granted', { caps: [{ requestType: 9, pointer: '/qty', max: 1 }] }, 'policy.caps[0].requestType'],
    ['cap pointer not a pointer', { caps: [{ requestType: 1, pointer: 'qty', max: 1 }] }, 'policy.caps[0].pointer'],
    ['cap pointer bad escape', { caps: [{ requestType: 1, pointer: '/a~2', max: 1 }] }, 'policy.caps[0].pointer'],
    ['cap max negative', { caps: [{ requestType: 1, pointer: '/qty', max: -1 }] }, 'policy.caps[0].max'],
    ['cap max Infinity', { caps: [{ requestType: 1, pointer: '/qty', max: Infinity }] }, 'policy.caps[0].max'],
    ['cap max string', { caps: [{ requestType: 1, pointer: '/qty', max: '10' }] }, 'policy.caps[0].max'],
  ];
  for (const [name, policy, field] of cases) test(name, () => refused(() => create(policy), field));

  test('a good policy comes back as given (confirmTypes sorted and deduplicated)', () => {
    const policy = {
      maxPerMinute: 5,
      maxPerHour: 100,
      confirmTypes: [2, 2, 1],
      rules: { 1: { type: 'object', properties: { qty: { type: 'number', maximum: 10 } }, required: ['qty'] } },
      caps: [{ requestType: 1, pointer: '/qty', max: 25 }],
    };
    const p = create(policy).policy!;
    assert.deepEqual(p, { ...policy, confirmTypes: [1, 2] });
  });

  test('a schema nested deeper than the bound, one with too many nodes, a cyclic object: refused', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) deep = { not: deep };
    refused(() => parsePolicy({ rules: { 1: deep } }, null), /deeper than/);
    const wide = { anyOf: Array.from({ length: 250 }, () => ({ anyOf: [{}, {}] })) };
    refused(() => parsePolicy({ rules: { 1: wide } }, null), /more than 256 schemas/);
    const cyclic: Record<string, unknown> = {};
    cyclic.not = cyclic;
    refused(() => parsePolicy({ rules: { 1: cyclic } }, null), /deeper than/);
    const cyclicConst: Record<string, unknown> = {};
    cyclicConst.x = cyclicConst;
    refused(() => parsePolicy({ rules: { 1: { const: cyclicConst } } }, null), /deeper than/);
  });

  test('billion laughs through $ref: refused by the expanded size, fast', () => {
    const defs: Record<string, unknown> = { d0: { type: 'number' } };
    for (let i = 1; i < 30; i++) defs[`d${i}`] = { allOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
    const t0 = performance.now();
    refused(() => parsePolicy({ rules: { 1: { $defs: defs, $ref: '#/$defs/d29' } } }, null), /expands to more than/);
    assert.ok(performance.now() - t0 < 500, 'refused quickly');
  });

  test('a huge policy (many rules, long strings) is refused or bounded', () => {
    const rules: Record<string, unknown> = {};
    for (let i = 0; i < 65; i++) rules[i] = {};
    refused(() => parsePolicy({ rules }, null), 'policy.rules must hold 1 to 64');
    refused(() => parsePolicy({ rules: { 1: { description: 'x'.repeat(5000) } } }, null), 'policy.rules.1/description');
    refused(() => parsePolicy({ rules: { 1: { enum: Array.from({ length: 300 }, (_, i) => i) } } }, null), 'policy.rules.1/enum');
  });
});

describe('tightening in the approval window: never looser', () => {
  const asked = { maxPerMinute: 5, confirmTypes: [2], rules: { 1: { maxProperties: 3 } }, caps: [{ requestType: 1, pointer: '/qty', max: 25 }] };
  test('lower limits, lower caps, more confirm types: granted', () => {
    const p = tightenPolicy(asked, { ...asked, maxPerMinute: 3, maxPerHour: 50, confirmTypes: [1, 2], caps: [{ requestType: 1, pointer: '/qty', max: 10 }] }, [1, 2]);
    assert.equal(p.maxPerMinute, 3);
    assert.equal(p.maxPerHour, 50);
    assert.deepEqual(p.confirmTypes, [1, 2]);
    assert.equal(p.caps![0]!.max, 10);
  });
  test('raise, remove, change a rule, drop a confirm type, raise a cap: refused', () => {
    refused(() => tightenPolicy(asked, { ...asked, maxPerMinute: 6 }, [1, 2]), 'policy.maxPerMinute may only be lowered');
    const { maxPerMinute: _m, ...noRate } = asked;
    refused(() => tightenPolicy(asked, noRate, [1, 2]), 'policy.maxPerMinute may only be lowered');
    refused(() => tightenPolicy(asked, { ...asked, confirmTypes: [1] }, [1, 2]), 'policy.confirmTypes must keep request type 2');
    refused(() => tightenPolicy(asked, { ...asked, rules: { 1: { maxProperties: 30 } } }, [1, 2]), 'policy.rules.1 must stay');
    refused(() => tightenPolicy(asked, { ...asked, caps: [{ requestType: 1, pointer: '/qty', max: 26 }] }, [1, 2]), 'policy.caps[0].max may only be lowered');
    refused(() => tightenPolicy(asked, { ...asked, caps: [{ requestType: 1, pointer: '/price', max: 1 }] }, [1, 2]), 'policy.caps[0] must cap the same field');
  });
});

describe('strict JSON bodies', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  test('duplicate keys at any depth, also when escaped, are found', () => {
    assert.equal(hasDuplicateKey('{"a":1,"a":2}'), true);
    assert.equal(hasDuplicateKey('{"x":[{"b":{"c":1,"c":1}}]}'), true);
    assert.equal(hasDuplicateKey('{"a":1,"\\u0061":2}'), true);
    assert.equal(hasDuplicateKey('{"a":{"a":1},"b":["a","a"]}'), false);
    assert.equal(hasDuplicateKey('{"a\\"":1,"a":2}'), false);
    assert.equal(parseStrictJson(enc('{"qty":1,"qty":100}')).ok, false);
  });
  test('not UTF-8, not JSON: refused; a deep body does not overflow the scanner', () => {
    assert.equal(parseStrictJson(new Uint8Array([0xff, 0xfe])).ok, false);
    assert.equal(parseStrictJson(enc('{qty:1}')).ok, false);
    const deep = '['.repeat(20000) + '{"a":1,"a":2}' + ']'.repeat(20000);
    assert.equal(parseStrictJson(enc(deep)).ok, false);
  });
});

describe('words and previews', () => {
  test('each rule in plain words', () => {
    const words = policyWords({
      maxPerMinute: 5,
      maxPerHour: 1,
      rules: { 1: { type: 'object', properties: { qty: { type: 'number', maximum: 10 } } } },
      caps: [{ requestType: 1, pointer: '/qty', max: 25 }],
      confirmTypes: [2],
    }, { name: 'Ex', requestTypes: { 1: { name: 'PlaceOrder', risk: 'trade' } } });
    assert.deepEqual(words, [
      'at most 5 signatures a minute',
      'at most 1 signature an hour',
      'PlaceOrder (type 1): qty at most 10',
      'PlaceOrder (type 1): at most 25 qty in total',
      'type 2: each signature waits for your click',
    ]);
  });
  test('summaries from templates; binary bodies as size and hex', () => {
    const body = new TextEncoder().encode('{"side":"Buy","qty":1,"symbol":"BTC-USD\\u202e"}');
    assert.equal(summarize({ name: 'PlaceOrder', risk: 'trade', summary: '{/side} {/qty} {/symbol}' }, body), 'Buy 1 BTC-USD');
    const bin = previewBody(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0xff]));
    assert.deepEqual(bin, { kind: 'binary', size: 5, hex: 'de ad be ef ff' });
  });
});

describe('descriptors: each malformed field named', () => {
  const ok = { name: 'Exchange', requestTypes: { 1: { name: 'PlaceOrder', risk: 'trade', body: 'json', schema: { type: 'object' }, summary: 'Buy {/qty}' } } };
  test('a good descriptor parses', () => assert.deepEqual(parseDescriptor(ok), ok));
  const bad: Array<[string, unknown, string]> = [
    ['not an object', 'x', 'descriptor must be an object'],
    ['no name', { requestTypes: {} }, 'descriptor.name'],
    ['control chars in name', { name: 'A\u202eB', requestTypes: {} }, 'descriptor.name'],
    ['bad type key', { name: 'A', requestTypes: { '-1': { name: 'x', risk: 'read' } } }, 'descriptor.requestTypes has a key "-1"'],
    ['bad risk', { name: 'A', requestTypes: { 1: { name: 'x', risk: 'low' } } }, 'descriptor.requestTypes.1.risk'],
    ['bad body', { name: 'A', requestTypes: { 1: { name: 'x', risk: 'read', body: 'xml' } } }, 'descriptor.requestTypes.1.body'],
    ['schema pattern', { name: 'A', requestTypes: { 1: { name: 'x', risk: 'read', schema: { pattern: '(a|a)*$' } } } }, 'descriptor.requestTypes.1.schema/pattern'],
    ['schema on binary', { name: 'A', requestTypes: { 1: { name: 'x', risk: 'read', body: 'binary', schema: {} } } }, 'descriptor.requestTypes.1.schema'],
    ['bad summary placeholder', { name: 'A', requestTypes: { 1: { name: 'x', risk: 'read', summary: 'Buy {qty}' } } }, 'descriptor.requestTypes.1.summary'],
    ['unknown field', { name: 'A', requestTypes: {}, version: 2 }, 'descriptor has an unknown field "version"'],
  ];
  for (const [name, d, field] of bad) test(name, () => refused(() => parseCreateSession([{ ttlSeconds: 3600, descriptor: d }]), field));
});

describe('fuzzed policies and descriptors', () => {
  test('any JSON-like value: a ProviderRpcError -32602 or a parsed policy, never anything else, each fast', async () => {
    const fc = await import('fast-check');
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, true, 0, -1, 1.5, 65536, 'x', '/qty', '#/$defs/a', 'pattern', '$ref', Infinity),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('maxPerMinute', 'maxPerHour', 'confirmTypes', 'rules', 'caps', '1', 'requestType', 'pointer', 'max', 'type', 'properties', '$ref', '$defs', 'a', 'pattern', 'not', 'anyOf', 'name', 'risk', 'requestTypes', 'schema', 'summary'), tie('v'), { maxKeys: 5 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        for (const parse of [() => parsePolicy(v, null), () => parseDescriptor(v)]) {
          const t0 = performance.now();
          try {
            parse();
          } catch (err) {
            assert.ok(err instanceof ProviderRpcError && err.code === -32602, `threw ${String(err)}`);
          }
          assert.ok(performance.now() - t0 < 200);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
