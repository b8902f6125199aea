/**
 * The compiled fast path for policy rules (`src/policy/fast-schema.ts`) against the reference
 * interpreter (@cfworker/json-schema): random schemas of Keyhold's subset and random bodies,
 * parsed from JSON text as the worker parses them, must get the same answer from both. And the
 * cheap duplicate-key check of strict JSON against a plain reference scanner.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileFast } from '../../src/policy/fast-schema.js';
import { compileRule, interpretRule } from '../../src/policy/compiled-rule.js';
import { checkSchema } from '../../src/policy/schema-guard.js';
import { countKeys, countProperties, hasDuplicateKey, parseStrictJson } from '../../src/policy/strict-json.js';
import { BENCH_POLICY } from '../../bench/policy.js';

const KEYS = ['a', 'b', 'c', '__proto__', 'constructor', ''];
const key = fc.constantFrom(...KEYS);
/** Keys made with CreateDataProperty, as JSON.parse makes them (so "__proto__" is an own key). */
const entriesToObject = (entries: Array<[string, unknown]>) => Object.fromEntries(entries);

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -4, max: 4 }),
  fc.constantFrom(0.5, 1.5, -0, 0.1, 0.3, 3, 1e21, 2.5e-7, 4294967296),
  fc.constantFrom('', 'x', 'y', 'ab', '😀', '😀😀', '\ud800', 'abcd'),
);
const json = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.array(fc.tuple(key, tie('v')), { maxLength: 3 }).map(entriesToObject)),
})).v;

const typeName = fc.constantFrom('null', 'boolean', 'object', 'array', 'number', 'string', 'integer');
const countArb = fc.integer({ min: 0, max: 3 });
const numberArb = fc.constantFrom(-1, 0, 0.5, 1, 2, 3, 1.5, 1e21);
const REFS = ['#/$defs/d0', '#/$defs/d1'];

const schemaArb = fc.letrec((tie) => {
  const sub = tie('schema');
  const subs = fc.array(sub, { minLength: 1, maxLength: 3 });
  const subMap = fc.array(fc.tuple(key, sub), { maxLength: 3 }).map(entriesToObject);
  const keyword = fc.oneof(
    fc.tuple(fc.constant('type'), fc.oneof(typeName, fc.uniqueArray(typeName, { minLength: 1, maxLength: 3 }))),
    fc.tuple(fc.constant('const'), json),
    fc.tuple(fc.constant('enum'), fc.array(json, { maxLength: 4 })),
    fc.tuple(fc.constantFrom('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'), numberArb),
    fc.tuple(fc.constant('multipleOf'), fc.constantFrom(0.1, 0.5, 2, 3, 0.001, 1.5, 1e-7)),
    fc.tuple(fc.constantFrom('minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'minContains', 'maxContains'), countArb),
    fc.tuple(fc.constant('required'), fc.array(key, { maxLength: 3 })),
    fc.tuple(fc.constantFrom('properties', 'dependentSchemas'), subMap),
    fc.tuple(fc.constant('dependentRequired'), fc.array(fc.tuple(key, fc.array(key, { maxLength: 2 })), { maxLength: 2 }).map(entriesToObject)),
    fc.tuple(fc.constantFrom('additionalProperties', 'propertyNames', 'items', 'contains', 'not', 'if', 'then', 'else'), sub),
    fc.tuple(fc.constantFrom('allOf', 'anyOf', 'oneOf', 'prefixItems'), subs),
    fc.tuple(fc.constant('$ref'), fc.constantFrom(...REFS)),
    fc.tuple(fc.constantFrom('title', 'description', '$comment'), fc.constantFrom('', 'x')),
  );
  return {
    schema: fc.oneof({ depthSize: 'small' }, fc.boolean(), tie('object')),
    object: fc.array(keyword, { maxLength: 5 }).map((entries) => entriesToObject(entries as Array<[string, unknown]>)),
  };
});

/** A root schema, sometimes with $defs its $refs may name (a cycle, or a missing def, the guard refuses). */
const rootArb = fc.tuple(schemaArb.object, fc.option(fc.tuple(schemaArb.schema, schemaArb.schema))).map(([root, defs]) => {
  if (defs) root.$defs = { d0: defs[0], d1: defs[1] };
  return root as unknown;
});

/** A body as the worker sees it: JSON text, parsed. */
const bodyArb = json.map((v) => JSON.parse(JSON.stringify(v)) as unknown);

function guarded(schema: unknown): unknown | undefined {
  try {
    return checkSchema(JSON.parse(JSON.stringify(schema)), 'rule');
  } catch {
    return undefined;
  }
}

describe('compiled rules answer as the interpreter does', () => {
  test('random schemas of the subset and random bodies: the same verdict, every time', () => {
    let compiled = 0;
    let valid = 0;
    let checked = 0;
    fc.assert(
      fc.property(rootArb, fc.array(bodyArb, { minLength: 1, maxLength: 8 }), (raw, bodies) => {
        const schema = guarded(raw);
        if (schema === undefined) return;
        const fast = compileFast(schema);
        assert.ok(fast, `the subset without unevaluated* compiles: ${JSON.stringify(schema)}`);
        compiled++;
        const reference = interpretRule(schema);
        for (const body of bodies) {
          const want = reference(body);
          assert.equal(fast(body), want, `schema ${JSON.stringify(schema)} body ${JSON.stringify(body)}`);
          checked++;
          if (want) valid++;
        }
      }),
      { numRuns: 4000 },
    );
    // Not a vacuous agreement: many schemas compiled, and both verdicts came up often.
    assert.ok(compiled > 2000, `compiled ${compiled}`);
    assert.ok(valid > checked * 0.15 && valid < checked * 0.85, `valid ${valid} of ${checked}`);
  });

  test('bodies made to nearly fit a schema (its own const and enum values, its property names) agree too', () => {
    fc.assert(
      fc.property(rootArb, (raw) => {
        const schema = guarded(raw);
        if (schema === undefined) return;
        const fast = compileFast(schema)!;
        const reference = interpretRule(schema);
        for (const body of valuesIn(schema)) assert.equal(fast(body), reference(body), `schema ${JSON.stringify(schema)} body ${JSON.stringify(body)}`);
      }),
      { numRuns: 2000 },
    );
  });

  test('the quirks, one by one', () => {
    const cases: Array<[unknown, unknown[]]> = [
      [{ type: 'integer' }, [1, 1.5, -0, 1e21, Infinity, -Infinity, '1', null]],
      [{ type: ['integer', 'string'] }, [1, 1.5, Infinity, 'x', null]],
      [{ multipleOf: 0.1 }, [0.3, 0.7, 1, 0.35, 1e21, 1e-7, Infinity]],
      [{ multipleOf: 1e-7 }, [2.5e-7, 3e-7, 1]],
      [{ maxLength: 1 }, ['😀', '😀😀', '\ud800', '\ud800\ud800', 'ab']],
      [{ minLength: 2 }, ['😀', 'ab', '😀😀', '\udc00\ud800']],
      [{ const: { a: [1, { b: null }] } }, [{ a: [1, { b: null }] }, { a: [1, { b: null }], c: 1 }, { a: [1, {}] }, [1]]],
      [{ enum: [0, 'x', null, [1], { a: 1 }] }, [-0, 'x', null, [1], { a: 1 }, { a: 1, b: 1 }, [1, 1], false]],
      [JSON.parse('{"properties":{"__proto__":{"type":"string"}},"additionalProperties":false}'), [JSON.parse('{"__proto__":"x"}'), JSON.parse('{"__proto__":1}'), { constructor: 1 }, {}]],
      [{ required: ['constructor', 'toString'] }, [{}, JSON.parse('{"constructor":1,"toString":2}')]],
      [{ contains: { type: 'string' }, minContains: 0 }, [[], [1], ['x']]],
      [{ contains: { type: 'string' }, maxContains: 1 }, [[], ['x'], ['x', 'y'], [1, 'x']]],
      [{ prefixItems: [{ type: 'string' }], items: false }, [[], ['x'], ['x', 1], [1]]],
      [{ if: { required: ['a'] }, then: { required: ['b'] }, else: { required: ['c'] } }, [{ a: 1 }, { a: 1, b: 1 }, { c: 1 }, {}, 5]],
      [{ oneOf: [{ type: 'number' }, { type: 'integer' }] }, [1, 1.5, 'x']],
      [{ $defs: { n: { type: 'number', maximum: 3 } }, properties: { a: { $ref: '#/$defs/n' } }, $ref: '#/$defs/n' }, [{ a: 2 }, 2, 4, { a: 4 }]],
      [BENCH_POLICY.rules![1], [{ side: 'buy', qty: 1, symbol: 'BTC-USD' }, { side: 'buy', qty: 0 }, { side: 'hold', qty: 1 }, { side: 'buy', qty: 1, x: 1 }, { side: 'buy', qty: 1, symbol: 'A'.repeat(17) }]],
    ];
    for (const [raw, bodies] of cases) {
      const schema = checkSchema(raw, 'rule');
      const fast = compileFast(schema);
      assert.ok(fast, JSON.stringify(raw));
      const reference = interpretRule(schema);
      for (const body of bodies) assert.equal(fast(body), reference(body), `${JSON.stringify(raw)} on ${String(JSON.stringify(body))}`);
    }
  });

  test('unevaluatedProperties and unevaluatedItems are left to the interpreter, and still enforced', () => {
    const schema = checkSchema({ properties: { a: true }, unevaluatedProperties: false }, 'rule');
    assert.equal(compileFast(schema), null);
    const rule = compileRule(schema);
    assert.equal(rule({ a: 1 }), true);
    assert.equal(rule({ a: 1, b: 2 }), false);
    assert.equal(compileFast(checkSchema({ allOf: [{ unevaluatedItems: false }] }, 'rule')), null);
  });

  test('the largest allowed schema on a 64 KiB body stays fast on either path', () => {
    const branch = (i: number) => ({ type: 'array', items: { type: 'object', properties: { ['k' + i]: { type: 'number' } }, required: ['x'] } });
    const body = JSON.parse('[' + Array.from({ length: 9000 }, () => '{"x":1}').join(',') + ']') as unknown;
    for (const extra of [{}, { unevaluatedItems: false }]) {
      const schema = checkSchema({ anyOf: Array.from({ length: 60 }, (_, i) => branch(i)), ...extra }, 'rule');
      const rule = compileRule(schema);
      const t0 = performance.now();
      assert.equal(rule(body), 'unevaluatedItems' in extra ? interpretRule(schema)(body) : true);
      assert.ok(performance.now() - t0 < 3000, `took ${performance.now() - t0} ms`);
    }
  });

  test('a schema that would throw in either path refuses (never admits)', () => {
    const rule = compileRule({ type: 'object' });
    assert.equal(rule(undefined), false);
    assert.equal(rule(() => 1), false);
  });
});

/** Values a schema names (its consts, enum members, property names as objects), to probe edges. */
function valuesIn(schema: unknown): unknown[] {
  const out: unknown[] = [];
  const names: string[] = [];
  const walk = (s: unknown) => {
    if (typeof s !== 'object' || s === null) return;
    if (Array.isArray(s)) return s.forEach(walk);
    const o = s as Record<string, unknown>;
    if ('const' in o) out.push(o.const);
    if (Array.isArray(o.enum)) out.push(...(o.enum as unknown[]));
    if (typeof o.properties === 'object' && o.properties !== null) names.push(...Object.keys(o.properties));
    if (Array.isArray(o.required)) names.push(...(o.required as string[]));
    for (const v of Object.values(o)) walk(v);
  };
  walk(schema);
  const objects = [entriesToObject(names.map((n, i) => [n, out[i % Math.max(out.length, 1)] ?? i])), entriesToObject(names.map((n) => [n, 'x']))];
  return [...out, ...objects, out, [...out, ...out]].map((v) => JSON.parse(JSON.stringify(v) ?? 'null') as unknown);
}

/** The plain reference: a Set of decoded keys per open object. */
function referenceHasDuplicate(text: string): boolean {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const k = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.has(k)) return true;
        top.add(k);
        expectKey = false;
      }
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return false;
}

describe('strict JSON: the cheap duplicate check', () => {
  /** JSON text with keys often repeated, spelled with escapes, and white space anywhere. */
  const ws = fc.constantFrom('', ' ', '\n', '\t ', '\r\n');
  const keyText = fc.constantFrom('"a"', '"\\u0061"', '"b"', '"a\\"b"', '"a\\\\"', '"\\\\"', '"__proto__"', '":"', '"{"', '""');
  const text = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom('1', 'null', 'true', '"x"', '"a"', '"\\""', '"\\\\"', '":"', '-0.5e3', '"a\\u0022:"'),
      fc.array(tie('v'), { maxLength: 4 }).chain((items) => fc.tuple(ws, ws).map(([l, r]) => `[${l}${items.join(`${r},${l}`)}${r}]`)),
      fc.array(fc.tuple(ws, keyText, ws, tie('v')), { maxLength: 4 }).map((members) => `{${members.map(([a, k, b, v]) => `${a}${k}${b}:${a}${v}`).join(',')}}`),
    ),
  })).v;

  test('random JSON texts: the same verdict as a Set of keys per object', () => {
    let dups = 0;
    fc.assert(
      fc.property(text, (t) => {
        JSON.parse(t); // The generator makes JSON only.
        const want = referenceHasDuplicate(t);
        if (want) dups++;
        assert.equal(hasDuplicateKey(t), want, t);
        assert.equal(parseStrictJson(new TextEncoder().encode(t)).ok, !want, t);
      }),
      { numRuns: 5000 },
    );
    assert.ok(dups > 500, `duplicates seen ${dups}`);
  });

  test('keys counted in the text, properties in the value', () => {
    const t = '{"a" : {"b":[{"c":1}], "d\\"":"e:"}, "f":[":" ,"g"]}';
    assert.equal(countKeys(t), 5);
    assert.equal(countProperties(JSON.parse(t)), 5);
  });

  test('a deep body is counted without recursion', () => {
    const deep = '['.repeat(50000) + '{"a":1}' + ']'.repeat(50000);
    assert.equal(hasDuplicateKey(deep), false);
  });
});
