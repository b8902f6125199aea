/**
 * The wire layer against its golden vectors (signatures checked with node:crypto, not with the
 * code under test), round-trip and canonicity properties, and tables of bad inputs for every
 * exported function.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed } from './asserts.js';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { toBase64 } from '../../src/encoding/base64.js';
import {
  AUTH_BYTES, AUTH_WINDOW_MS, HEADER_BYTES, MAX_BODY_BYTES, MAX_PAYLOAD_BYTES, REQUEST_ID_BYTES,
  SignatureType, WIRE_VERSION, decodeFrame, decodePayload, encodeFrame,
  encodePayload, type PayloadFields,
} from '../../src/wire/payload.js';
import { abytes, afields, auint } from '../../src/wire/bytes.js';
import { passkeyChallenge, personalSignHash } from '../../src/wire/digests.js';
import { didKey, didKeyPublicKey, loginMessage, recognizeLogin } from '../../src/wire/login-message.js';
import {
  RequestType, decodeListSessions, decodeMasterRevokeSession, decodeRevokeSession, encodeListSessions,
  encodeMasterRevokeSession, encodeRevokeSession, type MasterScope,
} from '../../src/wire/bodies.js';
import { MAX_ORIGIN_BYTES, isSerialisedOrigin } from '../../src/wire/scope.js';

// ---- helpers ----

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const b64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'base64'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();
const ED25519_SPKI_PREFIX = hex('302a300506032b6570032100');


/** A valid UUIDv7 with the given counter bits. */
function requestId(seed = 1): Uint8Array {
  const id = new Uint8Array(16);
  id.set([0x01, 0x97, 0x74, 0x20, 0xdc, 0x00], 0);
  id[6] = 0x70;
  id[8] = 0x80;
  id[15] = seed & 0xff;
  return id;
}

function validFields(): PayloadFields {
  return {
    signatureType: SignatureType.Ed25519,
    requestType: 7,
    requestId: requestId(),
    body: Uint8Array.of(1, 2, 3),
    issuedAtMs: 1_750_000_000_000,
    expiresAtMs: 1_750_000_000_000 + AUTH_WINDOW_MS,
  };
}

// ---- vectors ----

interface VectorInputs {
  signature_type: 1 | 2 | 3;
  request_type: number;
  request_id: string;
  body?: string;
  body_pattern?: string;
  body_length?: number;
  body_fields?: Record<string, string | number | null>;
  issued_at_ms: number;
  expires_at_ms: number;
}
interface Vector {
  name: string;
  inputs: VectorInputs;
  payload?: string;
  payload_sha256?: string;
  public_key?: string;
  signature?: string;
  frame?: string;
  frame_sha256?: string;
  personal_sign_hash?: string;
  challenge?: string;
  challenge_base64url?: string;
  envelope?: Record<string, string>;
}
/** A bound login vector (spec/signing.md §8): a message, not a payload. */
interface LoginVector {
  name: string;
  inputs: {
    site: string; audience: string; session_id: string; session_public_key: string; role: 'TRADING_ONLY' | 'FULL_ACCESS';
    subaccount_index: number | null; request_types: number[] | null; valid_until_ms: number; nonce: string;
    issued_at_ms: number; expires_at_ms: number; address: string; chain_id: number;
  };
  message: string;
  personal_sign_hash: string;
  envelope: { payload: string; public_key: string; signature: string };
}
interface VectorFile {
  wire_version: number;
  auth_window_ms: number;
  keys: { secp256k1: { public_key_compressed: string; address: string } };
  vectors: Array<Vector | LoginVector>;
}
const RAW = JSON.parse(
  readFileSync(new URL('../vectors/signing.json', import.meta.url), 'utf8'),
) as VectorFile;
const isLogin = (v: Vector | LoginVector): v is LoginVector => 'message' in v;
const FILE = { ...RAW, vectors: RAW.vectors.filter((v): v is Vector => !isLogin(v)) };
const LOGINS = RAW.vectors.filter(isLogin);

describe('golden login vectors (spec/signing.md §8)', () => {
  test('there are login vectors', () => assert.ok(LOGINS.length >= 2));
  for (const v of LOGINS) {
    test(`${v.name}: loginMessage reproduces the message; its EIP-191 digest and signature check with noble`, () => {
      const i = v.inputs;
      const text = loginMessage({
        site: i.site, audience: i.audience, sessionId: i.session_id, publicKey: hex(i.session_public_key), role: i.role,
        subaccountIndex: i.subaccount_index, requestTypes: i.request_types, validUntilMs: i.valid_until_ms,
        issuedAtMs: i.issued_at_ms, expiresAtMs: i.expires_at_ms, nonce: i.nonce,
        master: { kind: 'secp256k1', address: i.address, chainId: i.chain_id },
      });
      assert.equal(text, v.message);
      assert.equal(Buffer.from(v.envelope.payload, 'base64').toString('utf8'), v.message);
      const digest = personalSignHash(new TextEncoder().encode(v.message));
      assert.equal(Buffer.from(digest).toString('hex'), v.personal_sign_hash);
      const sig = Buffer.from(v.envelope.signature, 'base64');
      const recovered = secp256k1.Signature.fromBytes(Uint8Array.from([sig[64]! - 27, ...sig.subarray(0, 64)]), 'recovered').recoverPublicKey(digest).toBytes(true);
      assert.equal(Buffer.from(recovered).toString('base64'), v.envelope.public_key);
      assert.deepEqual(recognizeLogin(v.message), { site: i.site, audience: i.audience });
      assert.deepEqual(didKeyPublicKey(didKey(hex(i.session_public_key))), hex(i.session_public_key));
    });
  }
});

function vectorBody(i: VectorInputs): Uint8Array {
  if (i.body !== undefined) return hex(i.body);
  assert.equal(i.body_pattern, 'i mod 256');
  return Uint8Array.from({ length: i.body_length! }, (_, k) => k & 0xff);
}

function vectorFields(i: VectorInputs): PayloadFields {
  return {
    signatureType: i.signature_type,
    requestType: i.request_type,
    requestId: hex(i.request_id),
    body: vectorBody(i),
    issuedAtMs: i.issued_at_ms,
    expiresAtMs: i.expires_at_ms,
  };
}

describe('golden vectors (test/vectors/signing.json)', () => {
  test('the file covers every scheme and body', () => {
    assert.equal(FILE.wire_version, WIRE_VERSION);
    assert.equal(FILE.auth_window_ms, AUTH_WINDOW_MS);
    // Secp256k1 (type 2) is covered by the login vectors, which are messages rather than payloads.
    const types = new Set([...FILE.vectors.map((v) => v.inputs.signature_type), ...(LOGINS.length > 0 ? [2] : [])]);
    assert.deepEqual([...types].sort(), [1, 2, 3]);
    const requestTypes = new Set(FILE.vectors.map((v) => v.inputs.request_type));
    for (const t of Object.values(RequestType)) assert.ok(requestTypes.has(t), `request type ${t}`);
    assert.ok(FILE.vectors.some((v) => v.inputs.body === ''));
    assert.ok(FILE.vectors.some((v) => v.inputs.body_length === MAX_BODY_BYTES));
  });

  for (const v of FILE.vectors) {
    describe(v.name, () => {
      const fields = vectorFields(v.inputs);
      const payload = encodePayload(fields);

      test('encodePayload reproduces the payload; decodePayload gives the inputs back', () => {
        if (v.payload !== undefined) {
          assert.equal(toBase64(payload), v.payload);
          assert.deepEqual(payload, b64(v.payload));
        } else {
          assert.equal(sha256(payload).toString('hex'), v.payload_sha256);
        }
        assert.deepEqual(decodePayload(payload), fields);
        assert.equal(fields.expiresAtMs - fields.issuedAtMs, AUTH_WINDOW_MS);
      });

      if (v.inputs.body_fields !== undefined) {
        test('body encoders reproduce the body', () => {
          const bf = v.inputs.body_fields!;
          const scope = { audience: bf.audience as string, site: bf.site as string };
          if (v.inputs.request_type === RequestType.RevokeSession && v.inputs.signature_type === SignatureType.Ed25519) {
            assert.deepEqual(encodeRevokeSession(hex(bf.session_id as string)), fields.body);
            assert.deepEqual(decodeRevokeSession(fields.body), { sessionId: hex(bf.session_id as string) });
          } else if (v.inputs.request_type === RequestType.RevokeSession) {
            // A master's RevokeSession names its audience and site (§5.1, §5.2).
            assert.deepEqual(encodeMasterRevokeSession(hex(bf.session_id as string), scope), fields.body);
            assert.deepEqual(decodeMasterRevokeSession(fields.body), { sessionId: hex(bf.session_id as string), ...scope });
          } else if (v.inputs.request_type === RequestType.ListSessions) {
            assert.deepEqual(encodeListSessions(scope), fields.body);
            assert.deepEqual(decodeListSessions(fields.body), scope);
          } else {
            assert.fail(`no body encoder for request type ${v.inputs.request_type}`);
          }
        });
      }
      if (v.inputs.request_type === RequestType.ListSessions || (v.inputs.request_type === RequestType.RevokeSession && v.inputs.signature_type !== SignatureType.Ed25519)) {
        test('a master call names its audience and site in the body', () => {
          assert.ok(v.inputs.body_fields?.audience !== undefined && v.inputs.body_fields.site !== undefined);
        });
      }

      if (v.signature !== undefined) {
        const publicKey = b64(v.public_key!);
        const signature = b64(v.signature);
        test('encodeFrame reproduces the frame; decodeFrame gives the parts back', () => {
          const frame = encodeFrame({ payload, publicKey, signature });
          if (v.frame !== undefined) assert.equal(toBase64(frame), v.frame);
          else assert.equal(sha256(frame).toString('hex'), v.frame_sha256);
          assert.deepEqual(decodeFrame(frame), { payload, publicKey, signature });
        });
      }

      if (v.inputs.signature_type === SignatureType.Ed25519) {
        test('signature verifies with node:crypto (Ed25519, RFC 8032)', () => {
          const key = createPublicKey({
            key: Buffer.concat([ED25519_SPKI_PREFIX, b64(v.public_key!)]),
            format: 'der',
            type: 'spki',
          });
          const sig = b64(v.signature!);
          assert.equal(sig.length, 64);
          assert.equal(verify(null, payload, key, sig), true);
          const tampered = payload.slice();
          tampered[tampered.length - 1]! ^= 1;
          assert.equal(verify(null, tampered, key, sig), false);
        });
      }

      if (v.inputs.signature_type === SignatureType.Secp256k1) {
        test('signature recovers the master key (EIP-191 personal_sign)', () => {
          // The digest is computed here from its definition, not with personalSignHash.
          const prefix = Buffer.from(`\x19Ethereum Signed Message:\n${payload.length}`);
          const digest = keccak_256(Buffer.concat([prefix, payload]));
          assert.equal(toHex(digest), v.personal_sign_hash);
          assert.deepEqual(personalSignHash(payload), digest);
          const sig = b64(v.signature!);
          assert.equal(sig.length, 65);
          const vByte = sig[64]!;
          assert.ok(vByte === 27 || vByte === 28, `v = ${vByte}`);
          const recovered = Uint8Array.of(vByte - 27, ...sig.subarray(0, 64)); // noble: rec || r || s
          const pub = secp256k1.recoverPublicKey(recovered, digest, { prehash: false });
          assert.equal(toHex(pub), toHex(b64(v.public_key!)));
          assert.equal(toHex(pub), FILE.keys.secp256k1.public_key_compressed);
          const uncompressed = secp256k1.Point.fromBytes(pub).toBytes(false);
          const address = '0x' + toHex(keccak_256(uncompressed.subarray(1)).subarray(12));
          assert.equal(address, FILE.keys.secp256k1.address);
        });
      }

      if (v.inputs.signature_type === SignatureType.Passkey) {
        test('challenge is SHA-256(payload); the assertion verifies with node:crypto', () => {
          const challenge = sha256(payload);
          assert.equal(challenge.toString('hex'), v.challenge);
          assert.equal(challenge.toString('base64url'), v.challenge_base64url);
          assert.deepEqual(passkeyChallenge(payload), Uint8Array.from(challenge));
          const env = v.envelope!;
          assert.equal(env['payload'], toBase64(payload));
          const clientData = JSON.parse(Buffer.from(env['client_data_json']!, 'base64').toString('utf8')) as {
            type: string;
            challenge: string;
          };
          assert.equal(clientData.type, 'webauthn.get');
          assert.equal(clientData.challenge, v.challenge_base64url);
          const signed = Buffer.concat([
            Buffer.from(env['authenticator_data']!, 'base64'),
            sha256(Buffer.from(env['client_data_json']!, 'base64')),
          ]);
          const key = createPublicKey({ key: Buffer.from(env['public_key']!, 'base64'), format: 'der', type: 'spki' });
          assert.equal(verify('sha256', signed, key, Buffer.from(env['signature']!, 'base64')), true);
        });
      }
    });
  }
});

// ---- properties ----

const arbRequestId = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((id) => {
  id[6] = 0x70 | (id[6]! & 0x0f);
  id[8] = 0x80 | (id[8]! & 0x3f);
  return id;
});
const arbFields: fc.Arbitrary<PayloadFields> = fc.record({
  signatureType: fc.constantFrom(1 as const, 2 as const, 3 as const),
  requestType: fc.integer({ min: 0, max: 0xffff }),
  requestId: arbRequestId,
  body: fc.oneof(
    { weight: 10, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: MAX_BODY_BYTES - 3, max: MAX_BODY_BYTES }).map((n) => new Uint8Array(n).fill(n & 0xff)) },
  ),
  issuedAtMs: fc.oneof(fc.maxSafeNat(), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER)),
  expiresAtMs: fc.oneof(fc.maxSafeNat(), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER)),
});
const arbHost = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z0-9]{1,10}){0,3}$/);
const arbPort = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: null });
const arbOrigin = (schemes: string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...schemes), arbHost, arbPort)
    .map(([scheme, host, port]) => (port === null ? `${scheme}://${host}` : `${scheme}://${host}:${port}`))
    .filter((o) => isSerialisedOrigin(o));
const arbScope: fc.Arbitrary<MasterScope> = fc.record({
  audience: arbOrigin(['https', 'http']),
  site: arbOrigin(['https', 'http', 'chrome-extension', 'moz-extension']),
});
/** Flips, sets or clears one byte of `bytes`, chosen by `at`. */
const arbMutation = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }));
function mutate(bytes: Uint8Array, [at, x]: [number, number]): Uint8Array {
  const out = bytes.slice();
  if (out.length > 0) out[at % out.length]! ^= x;
  return out;
}

/** Decoding is canonical: a byte string either fails with RangeError or re-encodes to itself. */
function assertCanonical<T>(bytes: Uint8Array, decode: (b: Uint8Array) => T, encode: (v: T) => Uint8Array): void {
  let value: T;
  try {
    value = decode(bytes);
  } catch (e) {
    assert.ok(e instanceof RangeError, `RangeError expected, got ${String(e)}`);
    return;
  }
  assert.deepEqual(encode(value), bytes);
}

describe('properties', () => {
  test('payload: decode(encode(f)) = f, length = 40 + body', () => {
    fc.assert(
      fc.property(arbFields, (f) => {
        const bytes = encodePayload(f);
        assert.equal(bytes.length, HEADER_BYTES + REQUEST_ID_BYTES + f.body.length + AUTH_BYTES);
        assert.deepEqual(decodePayload(bytes), { ...f });
      }),
      { numRuns: 500 },
    );
  });

  test('payload: mutated, truncated or extended bytes never decode to different bytes', () => {
    fc.assert(
      fc.property(arbFields, arbMutation, fc.integer({ min: -3, max: 3 }), (f, m, grow) => {
        let bytes = mutate(encodePayload(f), m);
        if (grow < 0) bytes = bytes.subarray(0, Math.max(0, bytes.length + grow));
        if (grow > 0) bytes = Uint8Array.from([...bytes, ...new Uint8Array(grow)]);
        assertCanonical(bytes, decodePayload, encodePayload);
      }),
      { numRuns: 1000 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => assertCanonical(b, decodePayload, encodePayload)));
  });

  test('frame: decode(encode(f)) = f, and decoding is canonical', () => {
    const arbFrame = fc.record({
      payload: fc.uint8Array({ maxLength: 400 }),
      publicKey: fc.uint8Array({ maxLength: 255 }),
      signature: fc.uint8Array({ maxLength: 255 }),
    });
    fc.assert(
      fc.property(arbFrame, arbMutation, (f, m) => {
        const bytes = encodeFrame(f);
        assert.equal(bytes.length, 6 + f.payload.length + f.publicKey.length + f.signature.length);
        assert.deepEqual(decodeFrame(bytes), { ...f });
        assertCanonical(mutate(bytes, m), decodeFrame, encodeFrame);
        assertCanonical(bytes.subarray(0, bytes.length - 1), decodeFrame, encodeFrame);
      }),
      { numRuns: 500 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => assertCanonical(b, decodeFrame, encodeFrame)));
  });

  test('bodies: round trips and canonical decoding', () => {
    fc.assert(
      fc.property(arbScope, arbMutation, fc.integer({ min: -2, max: 2 }), (scope, m, grow) => {
        const list = encodeListSessions(scope);
        assert.deepEqual(decodeListSessions(list), { ...scope });
        let bytes = mutate(list, m);
        if (grow < 0) bytes = bytes.subarray(0, Math.max(0, bytes.length + grow));
        if (grow > 0) bytes = Uint8Array.from([...bytes, ...new Uint8Array(grow).fill(0x61)]);
        assertCanonical(bytes, decodeListSessions, encodeListSessions);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), arbScope, arbMutation, (id, scope, m) => {
        const body = encodeMasterRevokeSession(id, scope);
        assert.deepEqual(decodeMasterRevokeSession(body), { sessionId: id, ...scope });
        const enc = (d: { sessionId: Uint8Array } & MasterScope) => encodeMasterRevokeSession(d.sessionId, d);
        assertCanonical(mutate(body, m), decodeMasterRevokeSession, enc);
      }),
      { numRuns: 500 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), (b) => assertCanonical(b, decodeListSessions, encodeListSessions)));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (id) => {
        const body = encodeRevokeSession(id);
        assert.deepEqual(decodeRevokeSession(body), { sessionId: id });
        body[0]! ^= 1; // the body is a copy
        assert.notDeepEqual(body, id);
      }),
    );
  });
});

// ---- specific cases ----

describe('payload layout', () => {
  test('fields land at their offsets, little-endian', () => {
    const f = { ...validFields(), signatureType: 2 as const, requestType: 0x0201, issuedAtMs: 0x0102030405060, expiresAtMs: 2 ** 53 - 1 };
    const b = encodePayload(f);
    assert.equal(toHex(b.subarray(0, 8)), '0102' + '0102' + '03000000');
    assert.deepEqual(b.subarray(8, 24), f.requestId);
    assert.deepEqual(b.subarray(24, 27), f.body);
    assert.equal(toHex(b.subarray(27, 35)), '6050403020100000');
    assert.equal(toHex(b.subarray(35, 43)), 'ffffffffffff1f00');
  });

  test('decoded arrays do not alias the input', () => {
    const bytes = encodePayload(validFields());
    const d = decodePayload(bytes);
    bytes.fill(0xee, 8);
    assert.deepEqual(d, validFields());
    const frame = encodeFrame({ payload: Uint8Array.of(1), publicKey: Uint8Array.of(2), signature: Uint8Array.of(3) });
    const parts = decodeFrame(frame);
    frame.fill(0);
    assert.deepEqual(parts, { payload: Uint8Array.of(1), publicKey: Uint8Array.of(2), signature: Uint8Array.of(3) });
  });

  test('accepts views with an offset and Buffers', () => {
    const bytes = encodePayload(validFields());
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 5);
    assert.deepEqual(decodePayload(padded.subarray(5, 5 + bytes.length)), validFields());
    const fromBuffer = decodePayload(Buffer.from(bytes));
    assert.deepEqual(fromBuffer, validFields());
    assert.equal(Object.getPrototypeOf(fromBuffer.body), Uint8Array.prototype, 'a plain Uint8Array, not a Buffer');
    const buf = Buffer.from(encodeFrame({ payload: Uint8Array.of(1), publicKey: Uint8Array.of(2), signature: Uint8Array.of(3) }));
    const parts = decodeFrame(buf);
    buf.fill(0);
    assert.deepEqual(parts.payload, Uint8Array.of(1), 'a copy even when the input is a Buffer');
    const session = Buffer.from(requestId(5));
    const revoke = encodeRevokeSession(session);
    session.fill(0);
    assert.deepEqual(revoke, requestId(5));
  });

  test('empty and maximum bodies', () => {
    assert.equal(encodePayload({ ...validFields(), body: new Uint8Array(0) }).length, 40);
    assert.equal(encodePayload({ ...validFields(), body: new Uint8Array(MAX_BODY_BYTES) }).length, MAX_PAYLOAD_BYTES);
  });

  test('a scope lands at its offsets: lengths, then the ASCII origins', () => {
    const scope = { audience: 'https://api.x.example', site: 'chrome-extension://abc' };
    const list = encodeListSessions(scope);
    assert.equal(toHex(list), '15' + Buffer.from(scope.audience).toString('hex') + '16' + Buffer.from(scope.site).toString('hex'));
    const id = requestId(7);
    const revoke = encodeMasterRevokeSession(id, scope);
    assert.deepEqual(revoke.subarray(0, 16), id);
    assert.deepEqual(revoke.subarray(16), list);
    const longest = { audience: 'https://' + 'a'.repeat(MAX_ORIGIN_BYTES - 8), site: 'x://' + 'b'.repeat(MAX_ORIGIN_BYTES - 4) };
    assert.equal(encodeListSessions(longest).length, 2 + 2 * MAX_ORIGIN_BYTES);
    assert.deepEqual(decodeListSessions(encodeListSessions(longest)), longest);
  });

  test('RequestType numbers', () => {
    assert.deepEqual({ ...RequestType }, { RevokeSession: 14, ListSessions: 47 });
  });

  test('personalSignHash: a known EIP-191 digest', () => {
    // keccak256("\x19Ethereum Signed Message:\n11hello world"), as eth_sign tooling reports it.
    assert.equal(
      toHex(personalSignHash(new TextEncoder().encode('hello world'))),
      'd9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68',
    );
    assert.equal(toHex(passkeyChallenge(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

// ---- tables of bad inputs ----

const NOT_BYTES: unknown[] = [
  null, undefined, 0, NaN, 1.5, -1, 'AAAA', 100n, true, {}, [], [1, 2, 3], new Array(16).fill(0),
  new Uint16Array(16), new Int8Array(16), new Uint8ClampedArray(16), new Float64Array(2),
  new ArrayBuffer(16), new DataView(new ArrayBuffer(16)),
];
const NOT_NUMBER: unknown[] = [null, undefined, '1', '', 1n, true, {}, [], [1], new Uint8Array(1), new Number(1)];
const BAD_U64: unknown[] = [NaN, 1.5, -1, -0.5, Infinity, -Infinity, 2 ** 53, 2 ** 64, Number.MAX_VALUE];
const BAD_U16: unknown[] = [NaN, 1.5, -1, Infinity, 65536, 2 ** 32, 2 ** 53];

describe('bad inputs', () => {
  test('encodePayload: each field', () => {
    const cases: [keyof PayloadFields, unknown[], unknown[]][] = [
      ['signatureType', NOT_NUMBER, [0, 4, 255, NaN, 1.5, -1]],
      ['requestType', NOT_NUMBER, BAD_U16],
      ['requestId', NOT_BYTES, [new Uint8Array(15), new Uint8Array(17), new Uint8Array(0), new Uint8Array(16), requestId().map((x, i) => (i === 6 ? 0x40 : x)), requestId().map((x, i) => (i === 8 ? 0xc0 : x))]],
      ['body', NOT_BYTES, [new Uint8Array(MAX_BODY_BYTES + 1)]],
      ['issuedAtMs', NOT_NUMBER, BAD_U64],
      ['expiresAtMs', NOT_NUMBER, BAD_U64],
    ];
    for (const [field, typeBad, rangeBad] of cases) {
      for (const v of typeBad) throwsNamed(() => encodePayload({ ...validFields(), [field]: v }), TypeError, field);
      for (const v of rangeBad) throwsNamed(() => encodePayload({ ...validFields(), [field]: v }), RangeError, field);
    }
    for (const v of [null, undefined, 1, 'x', [], new Uint8Array(40)]) {
      throwsNamed(() => encodePayload(v as never), TypeError, 'fields');
    }
    const { body: _, ...noBody } = validFields();
    throwsNamed(() => encodePayload(noBody as PayloadFields), TypeError, 'body');
  });

  test('decodePayload: malformed bytes', () => {
    const good = encodePayload(validFields()); // body 3 bytes, 43 in all
    const edit = (f: (b: Uint8Array) => void): Uint8Array => {
      const b = good.slice();
      f(b);
      return b;
    };
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /at least 40/],
      ['39 bytes', new Uint8Array(39), /at least 40/],
      ['truncated', good.subarray(0, 42), /body_length 3/],
      ['trailing byte', Uint8Array.from([...good, 0]), /body_length 3/],
      ['version 0', edit((b) => (b[0] = 0)), /version 0/],
      ['version 2', edit((b) => (b[0] = 2)), /version 2/],
      ['signature type 0', edit((b) => (b[1] = 0)), /signature_type 0/],
      ['signature type 4', edit((b) => (b[1] = 4)), /signature_type 4/],
      ['body_length too small', edit((b) => (b[4] = 2)), /body_length 2/],
      ['body_length huge', edit((b) => (b[7] = 0xff)), /body_length \d+ exceeds/],
      ['body_length just over max', edit((b) => b.set([1, 0, 1, 0], 4)), /exceeds 65536/],
      ['request id version 4', edit((b) => (b[14] = 0x40)), /UUIDv7/],
      ['request id variant 11', edit((b) => (b[16] = 0xc0)), /UUIDv7/],
      ['issued_at above 2^53-1', edit((b) => (b[34] = 0x20)), /issued_at_ms/],
      ['expires_at above 2^53-1', edit((b) => (b[42] = 0x80)), /expires_at_ms/],
    ];
    for (const [why, bytes, re] of cases) {
      assert.throws(() => decodePayload(bytes), (e: unknown) => {
        assert.ok(e instanceof RangeError, why);
        assert.match(e.message, re, why);
        return true;
      });
    }
    for (const v of NOT_BYTES) throwsNamed(() => decodePayload(v as Uint8Array), TypeError, 'payload');
  });

  test('encodeFrame / decodeFrame', () => {
    const ok = { payload: new Uint8Array(40), publicKey: new Uint8Array(32), signature: new Uint8Array(64) };
    for (const field of ['payload', 'publicKey', 'signature'] as const) {
      for (const v of NOT_BYTES) throwsNamed(() => encodeFrame({ ...ok, [field]: v }), TypeError, field);
    }
    throwsNamed(() => encodeFrame({ ...ok, payload: new Uint8Array(MAX_PAYLOAD_BYTES + 1) }), RangeError, 'payload');
    throwsNamed(() => encodeFrame({ ...ok, publicKey: new Uint8Array(256) }), RangeError, 'publicKey');
    throwsNamed(() => encodeFrame({ ...ok, signature: new Uint8Array(256) }), RangeError, 'signature');
    for (const v of [null, undefined, 1, 'x', []]) throwsNamed(() => encodeFrame(v as never), TypeError, 'frame');
    assert.equal(encodeFrame({ ...ok, publicKey: new Uint8Array(255), signature: new Uint8Array(255) }).length, 4 + 40 + 1 + 255 + 1 + 255);

    const frame = encodeFrame(ok); // 4 + 40 + 1 + 32 + 1 + 64 = 142
    const huge = new Uint8Array(8);
    huge.set([0xff, 0xff, 0xff, 0xff]);
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /truncated.*payload_length/],
      ['3 bytes', new Uint8Array(3), /truncated.*payload_length/],
      ['inside payload', frame.subarray(0, 30), /truncated.*inside payload$/],
      ['no key length', frame.subarray(0, 44), /public_key_length/],
      ['inside key', frame.subarray(0, 60), /inside public_key$/],
      ['no signature length', frame.subarray(0, 77), /signature_length/],
      ['inside signature', frame.subarray(0, 141), /inside signature$/],
      ['trailing byte', Uint8Array.from([...frame, 0]), /1 trailing bytes/],
      ['payload_length over max', huge, /payload_length 4294967295 exceeds/],
    ];
    for (const [why, bytes, re] of cases) {
      assert.throws(() => decodeFrame(bytes), (e: unknown) => {
        assert.ok(e instanceof RangeError, why);
        assert.match(e.message, re, why);
        assert.ok(e.message.includes('"frame"'), why);
        return true;
      });
    }
    for (const v of NOT_BYTES) throwsNamed(() => decodeFrame(v as Uint8Array), TypeError, 'frame');
  });

  test('RevokeSession / ListSessions', () => {
    const scope = { audience: 'https://api.example', site: 'https://example.com' };
    for (const v of NOT_BYTES) {
      throwsNamed(() => encodeRevokeSession(v as Uint8Array), TypeError, 'sessionId');
      throwsNamed(() => encodeMasterRevokeSession(v as Uint8Array, scope), TypeError, 'sessionId');
      throwsNamed(() => decodeRevokeSession(v as Uint8Array), TypeError, 'body');
      throwsNamed(() => decodeMasterRevokeSession(v as Uint8Array), TypeError, 'body');
      throwsNamed(() => decodeListSessions(v as Uint8Array), TypeError, 'body');
    }
    for (const n of [0, 15, 17, 32]) {
      throwsNamed(() => encodeRevokeSession(new Uint8Array(n)), RangeError, 'sessionId');
      throwsNamed(() => encodeMasterRevokeSession(new Uint8Array(n), scope), RangeError, 'sessionId');
      throwsNamed(() => decodeRevokeSession(new Uint8Array(n)), RangeError, 'body');
      throwsNamed(() => decodeMasterRevokeSession(new Uint8Array(n)), RangeError, 'body');
    }
    throwsNamed(() => decodeListSessions(new Uint8Array(0)), RangeError, 'body');
    throwsNamed(() => decodeListSessions(new Uint8Array(1)), RangeError, 'body');
  });

  const NOT_ORIGINS = [
    '', 'https://', 'https://a.example/', 'https://a.example/path', 'https://a.example?q', 'https://a.example#f',
    'https://user@a.example', 'HTTPS://a.example', 'https://A.example', 'https://a.example:443', 'http://a.example:80',
    'https://a.example:0', 'https://a.example:65536', 'https://a.example:08080', 'https://a .example', 'https://a%2e.example',
    'https://bücher.example', 'https://a.example\n', ' https://a.example', 'a.example', '//a.example', 'https:a.example',
    'null', 'https://[::1', 'https://0x7f.0.0.1',
  ];
  const TOO_LONG = 'https://' + 'a'.repeat(MAX_ORIGIN_BYTES - 7);

  test('encodeListSessions / encodeMasterRevokeSession: each scope field', () => {
    const ok: MasterScope = { audience: 'https://api.example', site: 'chrome-extension://abcdefghijklmnop' };
    for (const v of [null, undefined, 1, 'x', [], new Uint8Array(2)]) {
      throwsNamed(() => encodeListSessions(v as never), TypeError, 'scope');
      throwsNamed(() => encodeMasterRevokeSession(requestId(), v as never), TypeError, 'scope');
    }
    for (const field of ['audience', 'site'] as const) {
      for (const v of [null, undefined, 1, 1n, {}, [], new Uint8Array(3)]) {
        throwsNamed(() => encodeListSessions({ ...ok, [field]: v }), TypeError, field);
        throwsNamed(() => encodeMasterRevokeSession(requestId(), { ...ok, [field]: v }), TypeError, field);
      }
      for (const v of [...NOT_ORIGINS, TOO_LONG]) {
        throwsNamed(() => encodeListSessions({ ...ok, [field]: v }), RangeError, field);
        throwsNamed(() => encodeMasterRevokeSession(requestId(), { ...ok, [field]: v }), RangeError, field);
      }
    }
    for (const v of ['chrome-extension://abc', 'moz-extension://x', 'ftp://a.example', 'ws://a.example']) {
      throwsNamed(() => encodeListSessions({ ...ok, audience: v }), RangeError, 'audience');
    }
    for (const site of ['http://localhost:5173', 'https://xn--bcher-kva.example', 'http://[::1]:8080', 'moz-extension://0b1e2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b', 'http://127.0.0.1']) {
      assert.deepEqual(decodeListSessions(encodeListSessions({ ...ok, site })), { ...ok, site });
    }
  });

  test('decodeListSessions / decodeMasterRevokeSession: malformed bytes', () => {
    const ascii = (t: string): number[] => [...Buffer.from(t, 'latin1')];
    const scopeBytes = (a: string, s: string): number[] => [a.length, ...ascii(a), s.length, ...ascii(s)];
    const good = scopeBytes('https://api.example', 'https://example.com');
    const cases: [string, number[], RegExp][] = [
      ['empty', [], /no audience_length/],
      ['audience length 0', [0, ...scopeBytes('', 'https://example.com').slice(1)], /audience_length is 0/],
      ['site length 0', [...good.slice(0, 20), 0], /site_length is 0/],
      ['no site', good.slice(0, 20), /no site_length/],
      ['truncated audience', good.slice(0, 10), /inside audience/],
      ['truncated site', good.slice(0, -1), /inside site/],
      ['trailing byte', [...good, 0x61], /1 trailing bytes/],
      ['trailing NUL', [...good, 0], /1 trailing bytes/],
      ['non-ASCII audience', scopeBytes('https://b\xfccher.example', 'https://example.com'), /audience is not printable ASCII/],
      ['control byte in site', scopeBytes('https://api.example', 'https://exa\tmple.com'), /site is not printable ASCII/],
      ['audience with a path', scopeBytes('https://api.example/', 'https://example.com'), /audience is not a serialised http\(s\) origin/],
      ['audience not http(s)', scopeBytes('chrome-extension://abc', 'https://example.com'), /audience is not a serialised http/],
      ['site with a default port', scopeBytes('https://api.example', 'https://example.com:443'), /site is not a serialised origin/],
      ['site upper case', scopeBytes('https://api.example', 'https://Example.com'), /site is not a serialised origin/],
      ['length past the end', [200, ...ascii('https://api.example')], /inside audience/],
    ];
    for (const [why, bytes, re] of cases) {
      for (const [decode, prefix] of [[decodeListSessions, []], [decodeMasterRevokeSession, [...requestId()]]] as const) {
        assert.throws(() => decode(Uint8Array.from([...prefix, ...bytes])), (e: unknown) => {
          assert.ok(e instanceof RangeError, why);
          assert.match(e.message, re, why);
          assert.ok(e.message.includes('"body"'), why);
          return true;
        });
      }
    }
    assert.deepEqual(decodeListSessions(Uint8Array.from(good)), { audience: 'https://api.example', site: 'https://example.com' });
  });

  test('isSerialisedOrigin', () => {
    for (const o of NOT_ORIGINS) assert.equal(isSerialisedOrigin(o), false, o);
    for (const o of ['https://a.example', 'http://127.0.0.1:8080', 'http://[::1]:1', 'https://a.example:65535', 'chrome-extension://abcdefghijklmnop', 'moz-extension://0b1e2f3a-4c5d']) {
      assert.equal(isSerialisedOrigin(o), true, o);
    }
  });

  test('personalSignHash / passkeyChallenge', () => {
    for (const v of NOT_BYTES) {
      throwsNamed(() => personalSignHash(v as Uint8Array), TypeError, 'payload');
      throwsNamed(() => passkeyChallenge(v as Uint8Array), TypeError, 'payload');
    }
  });

  test('assert helpers', () => {
    for (const v of NOT_BYTES) throwsNamed(() => abytes(v, undefined, 'x'), TypeError, 'x');
    throwsNamed(() => abytes(new Uint8Array(3), 4, 'x'), RangeError, 'x');
    for (const v of NOT_NUMBER) throwsNamed(() => auint(v, 10, 'n'), TypeError, 'n');
    for (const v of [NaN, -1, 1.5, 11, Infinity]) throwsNamed(() => auint(v, 10, 'n'), RangeError, 'n');
    assert.equal(auint(10, 10, 'n'), 10);
    for (const v of [null, undefined, 1, 'x', [], new Uint8Array(1)]) throwsNamed(() => afields(v, 'o'), TypeError, 'o');
  });
});
