/**
 * UUIDv7 request ids: bit layout, strict monotonicity, clock handling, string forms.
 * Tests run in order and share the generator's process-wide state, so clock values only grow
 * except where a test means the clock to go back.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed } from './asserts.js';
import fc from 'fast-check';
import { isUuidString, uuidFromString, uuidToString, uuidv7 } from '../../src/wire/uuidv7.js';

const timestamp = (id: Uint8Array): number => Buffer.from(id).readUIntBE(0, 6);
const less = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) < 0;


describe('uuidv7', () => {
  test('16 bytes, version 7, variant 10, timestamp from the clock', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    assert.ok(id instanceof Uint8Array);
    assert.equal(id.length, 16);
    assert.equal(id[6]! >> 4, 7);
    assert.equal(id[8]! >> 6, 0b10);
    assert.ok(timestamp(id) >= before && timestamp(id) <= after);
    assert.match(uuidToString(id), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('100k ids are strictly increasing and distinct, with version and variant intact', () => {
    const N = 100_000;
    const seen = new Set<string>();
    let prev = uuidv7();
    for (let i = 0; i < N; i++) {
      const id = uuidv7();
      assert.ok(less(prev, id), `id ${i} not greater than the previous one`);
      if (id[6]! >> 4 !== 7 || id[8]! >> 6 !== 0b10) assert.fail(`id ${i} lost its version/variant`);
      seen.add(uuidToString(id));
      prev = id;
    }
    assert.equal(seen.size, N);
  });

  test('returned arrays are independent copies', () => {
    const a = uuidv7();
    const copy = a.slice();
    a.fill(0);
    const b = uuidv7();
    assert.ok(less(copy, b));
  });

  test('timestamp bits equal nowMs when the clock advances', () => {
    const base = Date.now() + 1_000_000;
    for (let k = 0; k < 50; k++) {
      const ms = base + k * 17;
      const id = uuidv7(ms);
      assert.equal(timestamp(id), ms);
      assert.equal(id[6]! >> 4, 7);
      assert.equal(id[8]! >> 6, 0b10);
    }
    assert.equal(timestamp(uuidv7(2 ** 48 - 2)), 2 ** 48 - 2);
  });

  test('same millisecond: timestamp reused, random part incremented by one', () => {
    const ms = 2 ** 48 - 1;
    const a = uuidv7(ms);
    const b = uuidv7(ms);
    assert.equal(timestamp(a), ms);
    assert.equal(timestamp(b), ms);
    assert.ok(less(a, b));
    // Counter value: the 74 bits outside timestamp, version and variant.
    const counter = (id: Uint8Array): bigint => {
      const x = BigInt('0x' + Buffer.from(id).toString('hex'));
      const randA = (x >> 64n) & 0xfffn;
      const randB = x & ((1n << 62n) - 1n);
      return (randA << 62n) | randB;
    };
    assert.equal(counter(b), counter(a) + 1n);
  });

  test('monotonic when the clock goes backwards', () => {
    const top = 2 ** 48 - 1; // previous tests left the state here
    let prev = uuidv7(top);
    for (const ms of [top - 1, 0, 1_000, top - 60_000, top]) {
      const id = uuidv7(ms);
      assert.ok(less(prev, id));
      assert.equal(timestamp(id), top, 'the last timestamp is kept');
      prev = id;
    }
  });

  test('bad nowMs', () => {
    for (const v of [null, '1', 1n, {}, [], true, new Uint8Array(1)]) {
      throwsNamed(() => uuidv7(v as unknown as number), TypeError, 'nowMs');
    }
    for (const v of [NaN, 1.5, -1, Infinity, -Infinity, 2 ** 48, 2 ** 53]) {
      throwsNamed(() => uuidv7(v), RangeError, 'nowMs');
    }
  });
});

describe('UUID strings', () => {
  test('known value, lowercase out, any case in', () => {
    const bytes = Uint8Array.from(Buffer.from('01977420dc007abc8def0123456789ab', 'hex'));
    assert.equal(uuidToString(bytes), '01977420-dc00-7abc-8def-0123456789ab');
    assert.deepEqual(uuidFromString('01977420-DC00-7ABC-8DEF-0123456789AB'), bytes);
    assert.deepEqual(uuidFromString('01977420-dc00-7abc-8def-0123456789ab'), bytes);
  });

  test('round trip (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = uuidToString(bytes);
        assert.ok(isUuidString(text));
        assert.deepEqual(uuidFromString(text), bytes);
        assert.deepEqual(uuidFromString(text.toUpperCase()), bytes);
      }),
      { numRuns: 1000 },
    );
  });

  test('isUuidString', () => {
    assert.equal(isUuidString('00000000-0000-0000-0000-000000000000'), true);
    assert.equal(isUuidString('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'), true);
    for (const v of [
      null, undefined, 1, {}, new Uint8Array(16), '', '00000000000000000000000000000000',
      '{00000000-0000-0000-0000-000000000000}', '00000000-0000-0000-0000-00000000000',
      '00000000-0000-0000-0000-0000000000000', '0000000g-0000-0000-0000-000000000000',
      ' 00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000\n',
      '0000000-00000-0000-0000-000000000000', 'urn:uuid:00000000-0000-0000-0000-000000000000',
    ]) {
      assert.equal(isUuidString(v), false, String(v));
    }
  });

  test('bad arguments', () => {
    const notBytes = [null, undefined, 0, NaN, 'x', 1n, {}, new Array(16).fill(0), new Uint16Array(16),
      new Int8Array(16), new ArrayBuffer(16)];
    for (const v of notBytes) throwsNamed(() => uuidToString(v as Uint8Array), TypeError, 'bytes');
    for (const n of [0, 15, 17, 32]) throwsNamed(() => uuidToString(new Uint8Array(n)), RangeError, 'bytes');

    for (const v of [null, undefined, 0, NaN, 1n, {}, [], new Uint8Array(16)]) {
      throwsNamed(() => uuidFromString(v as string), TypeError, 'uuid');
      throwsNamed(() => uuidFromString(v as string, 'session_id'), TypeError, 'session_id');
    }
    for (const v of ['', 'x', '01977420dc007abc8def0123456789ab', '01977420-dc00-7abc-8def-0123456789a',
      '01977420-dc00-7abc-8def-0123456789abc', '01977420-dc00-7abc-8def-0123456789ag',
      ' 01977420-dc00-7abc-8def-0123456789ab', '01977420_dc00_7abc_8def_0123456789ab', 'x'.repeat(1000)]) {
      throwsNamed(() => uuidFromString(v), RangeError, 'uuid');
      throwsNamed(() => uuidFromString(v, 'session_id'), RangeError, 'session_id');
    }
  });
});
