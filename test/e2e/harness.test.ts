/**
 * Tests of the harness's independent verifier (no browser): if these are wrong, every e2e
 * signature check is worthless. RFC 8032 vector, tampering, and hand-built payloads and frames.
 * @module
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { parseFrame, parsePayload, toBase64, uuidVersion, uuidv7Millis, verifyEd25519 } from './harness.js';

const b64 = (h: string) => Buffer.from(h, 'hex').toString('base64');

/** Header | UUIDv7 | body | Auth, built by hand from the spec. */
function payload(requestType: number, body: Uint8Array, issued: number): Uint8Array {
  const head = Buffer.alloc(8);
  head.writeUInt8(1, 0);
  head.writeUInt8(1, 1);
  head.writeUInt16LE(requestType, 2);
  head.writeUInt32LE(body.length, 4);
  const id = Buffer.from('0190163d8a4e7abc9def0123456789ab', 'hex');
  const auth = Buffer.alloc(16);
  auth.writeBigUInt64LE(BigInt(issued), 0);
  auth.writeBigUInt64LE(BigInt(issued + 60_000), 8);
  return Buffer.concat([head, id, body, auth]);
}

describe('harness verifier', () => {
  test('RFC 8032 test 1 verifies; a flipped bit does not', () => {
    const pk = b64('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const sig =
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
    assert.equal(verifyEd25519(pk, '', b64(sig)), true);
    assert.equal(verifyEd25519(pk, b64('00'), b64(sig)), false);
    assert.equal(verifyEd25519(pk, '', b64(sig.replace(/^e5/, 'e4'))), false);
  });

  test('malformed key, signature or base64 throws', () => {
    assert.throws(() => verifyEd25519(b64('00'.repeat(31)), '', b64('00'.repeat(64))), RangeError);
    assert.throws(() => verifyEd25519(b64('00'.repeat(32)), '', b64('00'.repeat(63))), RangeError);
    assert.throws(() => verifyEd25519('not base64!', '', b64('00'.repeat(64))), TypeError);
    assert.throws(() => verifyEd25519(b64('00'.repeat(32)).replace(/=+$/, ''), '', b64('00'.repeat(64))), TypeError);
  });

  test('parsePayload reads every field little-endian; parseFrame round-trips', () => {
    const body = Buffer.from('hello keyhold');
    const p = payload(0x1234, body, 1_700_000_000_123);
    const got = parsePayload(p);
    assert.equal(got.version, 1);
    assert.equal(got.signatureType, 1);
    assert.equal(got.requestType, 0x1234);
    assert.equal(got.bodyLength, body.length);
    assert.equal(Buffer.from(got.body).toString(), 'hello keyhold');
    assert.equal(got.issuedAtMs, 1_700_000_000_123);
    assert.equal(got.expiresAtMs, 1_700_000_060_123);
    assert.equal(got.requestIdUuid, '0190163d-8a4e-7abc-9def-0123456789ab');
    assert.deepEqual(uuidVersion(got.requestId), { version: 7, variant: 2 });
    assert.equal(uuidv7Millis(got.requestId), 0x0190163d8a4e);
    assert.throws(() => parsePayload(p.subarray(0, p.length - 1)), RangeError);
    assert.throws(() => parsePayload(Buffer.concat([p, Buffer.from([0])])), RangeError);

    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    const sig = sign(null, p, privateKey);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(p.length);
    const frame = Buffer.concat([len, p, Buffer.from([32]), raw, Buffer.from([64]), sig]);
    const f = parseFrame(frame);
    assert.equal(toBase64(f.payload), toBase64(p));
    assert.equal(verifyEd25519(toBase64(f.publicKey), toBase64(f.payload), toBase64(f.signature)), true);
    assert.throws(() => parseFrame(frame.subarray(0, frame.length - 1)), RangeError);
    assert.throws(() => parseFrame(Buffer.concat([frame, Buffer.from([0])])), RangeError);
  });
});
