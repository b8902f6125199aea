/**
 * Strict base64: RFC 4648 vectors, agreement with Node's Buffer, rejection of every
 * non-canonical text, and bad argument types.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed } from './asserts.js';
import fc from 'fast-check';
import { fromBase64, toBase64 } from '../../src/encoding/base64.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Characters that appear in near-misses: URL alphabet, whitespace, padding, non-ASCII. */
const EXTRA = ['=', '-', '_', ' ', '\n', '\t', '\r', '.', '\u00e9', '\u0100', '\u{1F600}', '\0', '\x7f'];

const u8 = (b: Uint8Array): Uint8Array => new Uint8Array(b);
const bufferB64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');

/** True if Buffer's lenient decoder and re-encoder give back exactly `s`. */
function isCanonical(s: string): boolean {
  return Buffer.from(Buffer.from(s, 'base64')).toString('base64') === s;
}


describe('base64', () => {
  test('RFC 4648 §10 vectors', () => {
    const cases: [string, string][] = [
      ['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of cases) {
      const bytes = new TextEncoder().encode(plain);
      assert.equal(toBase64(bytes), b64);
      assert.deepEqual(fromBase64(b64), bytes);
    }
  });

  test('every byte value, both 62 and 63 sextets', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.equal(toBase64(all), bufferB64(all));
    assert.deepEqual(fromBase64(toBase64(all)), all);
    assert.deepEqual(fromBase64('+/+/'), Uint8Array.of(0xfb, 0xff, 0xbf));
  });

  test('toBase64 matches Buffer (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64(bytes);
        assert.equal(text, bufferB64(bytes));
        assert.deepEqual(fromBase64(text), bytes);
      }),
      { numRuns: 2000 },
    );
  });

  test('inputs larger than one encoding chunk, and views with an offset', () => {
    const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 131 + 7) & 0xff);
    assert.equal(toBase64(big), bufferB64(big));
    assert.deepEqual(fromBase64(toBase64(big)), big);
    const view = big.subarray(5, 5 + 40_000);
    assert.equal(toBase64(view), bufferB64(view));
    assert.equal(toBase64(Buffer.from([1, 2, 3])), 'AQID');
  });

  test('fromBase64 accepts exactly the canonical texts (property, vs Buffer)', () => {
    const char = fc.constantFrom(...ALPHABET.split(''), ...EXTRA);
    const anyText = fc.string({ unit: char, maxLength: 24 });
    // Near-misses: valid encodings with one character replaced, inserted or deleted.
    const mutated = fc
      .tuple(fc.uint8Array({ maxLength: 20 }), fc.nat(), char, fc.constantFrom('replace', 'insert', 'delete'))
      .map(([bytes, at, c, op]) => {
        const s = bufferB64(bytes);
        const i = s.length === 0 ? 0 : at % s.length;
        if (op === 'replace') return s.slice(0, i) + c + s.slice(i + 1);
        if (op === 'insert') return s.slice(0, i) + c + s.slice(i);
        return s.slice(0, i) + s.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(anyText, mutated), (s) => {
        if (isCanonical(s)) {
          assert.deepEqual(fromBase64(s), u8(Buffer.from(s, 'base64')));
        } else {
          throwsNamed(() => fromBase64(s, 'sig'), RangeError, 'sig');
        }
      }),
      { numRuns: 5000 },
    );
  });

  test('fromBase64 rejects non-canonical texts Buffer would accept', () => {
    const bad: [string, string][] = [
      ['Zg=', 'length not a multiple of 4'],
      ['Zg', 'missing padding'],
      ['Zm8', 'missing padding'],
      ['Zh==', 'non-zero trailing bits (1 byte)'],
      ['Zm9=', 'non-zero trailing bits (2 bytes)'],
      ['Zg==Zg==', 'padding in the middle'],
      ['Z===', 'three padding characters'],
      ['====', 'only padding'],
      ['Zm=v', 'padding before data'],
      [' Zm8', 'leading space'],
      ['Zm8=\n', 'trailing newline'],
      ['Zm 8', 'inner space'],
      ['Zm8_', 'URL alphabet _'],
      ['Zm-v', 'URL alphabet -'],
      ['Zm9v\u00e9AAA', 'non-ASCII'],
      ['Zm9\u0100', 'code unit above 255'],
      ['\u0146m9v', 'code unit that truncates to an alphabet byte'],
    ];
    for (const [text, why] of bad) {
      assert.ok(!isCanonical(text) || text.length % 4 !== 0, why);
      throwsNamed(() => fromBase64(text), RangeError, 'base64');
      throwsNamed(() => fromBase64(text, 'payload'), RangeError, 'payload');
    }
  });

  test('error messages locate the bad character', () => {
    assert.throws(() => fromBase64('AAAAAA-A', 'x'), /'-' at index 6/);
    assert.throws(() => fromBase64('AAAA\nAAA', 'x'), /U\+000a at index 4/);
    assert.throws(() => fromBase64('Zh==', 'x'), /not canonical/);
  });

  test('wrong argument types', () => {
    const values: unknown[] = [
      null, undefined, 0, NaN, 1.5, 100n, true, {}, [], ['Zg=='], Symbol('s'),
      new Uint8Array(4), new String('Zg=='),
    ];
    for (const v of values) {
      throwsNamed(() => fromBase64(v as string), TypeError, 'base64');
      throwsNamed(() => fromBase64(v as string, 'public_key'), TypeError, 'public_key');
    }
    const notBytes: unknown[] = [
      null, undefined, 0, NaN, 'AQID', 100n, {}, [1, 2, 3], new Uint16Array(3), new Int8Array(3),
      new Uint8ClampedArray(3), new ArrayBuffer(3), new DataView(new ArrayBuffer(3)),
    ];
    for (const v of notBytes) throwsNamed(() => toBase64(v as Uint8Array), TypeError, 'bytes');
  });
});

describe('base64url (WebAuthn ids): @scure/base, strict', async () => {
  const { fromBase64Url, toBase64Url } = await import('../../src/encoding/base64url.js');
  test('round-trips every length, without padding, in the URL alphabet', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 0xff);
      const text = toBase64Url(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(fromBase64Url(text, 'id', 0, 100), bytes);
    }
  });
  test('refuses padding, the standard alphabet, whitespace, a non-canonical last group, and wrong sizes: -32602 naming the field', () => {
    for (const bad of ['AQ==', 'a+b/', 'AQID BA', 'AR', 'A', 42, null]) {
      assert.throws(() => fromBase64Url(bad, 'credentialId', 0, 100), (e: { code?: number; message?: string }) => e.code === -32602 && /credentialId/.test(e.message ?? ''), String(bad));
    }
    assert.throws(() => fromBase64Url('AQID', 'prfOutput', 32, 32), /prfOutput must be 32 bytes/);
  });
});
