/**
 * The JSON envelope builder (`src/wire/envelope.ts`, `spec/signing.md` §6.1) against the golden
 * vectors: the same text, member for member and in the same order, as the committed envelopes;
 * the same parts as the vectors' binary frames, which `@keyhold/verify` decodes back.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseEnvelope } from '../../packages/verify/src/index.js';
import { toBase64 } from '../../src/encoding/base64.js';
import { encodeEnvelope, encodePasskeyEnvelope } from '../../src/wire/envelope.js';
import { decodeFrame } from '../../src/wire/payload.js';

interface Vector {
  name: string;
  payload?: string;
  public_key?: string;
  signature?: string;
  frame?: string;
  envelope?: Record<string, string>;
}
const VECTORS = (JSON.parse(readFileSync(new URL('../vectors/signing.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors;
const b64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'base64'));

describe('encodeEnvelope (types 1 and 2)', () => {
  const signed = VECTORS.filter((v) => v.payload !== undefined && v.public_key !== undefined && v.signature !== undefined);
  test('there are signed vectors of both types', () => assert.ok(signed.length >= 6));

  for (const v of signed) {
    test(`${v.name}: the envelope's text is the spec's, from raw bytes or a cached key's base64`, () => {
      const expected = JSON.stringify({ payload: v.payload, public_key: v.public_key, signature: v.signature });
      assert.equal(JSON.stringify(encodeEnvelope(b64(v.payload!), b64(v.public_key!), b64(v.signature!))), expected);
      assert.equal(JSON.stringify(encodeEnvelope(b64(v.payload!), v.public_key!, b64(v.signature!))), expected);
    });
    if (v.frame !== undefined) {
      test(`${v.name}: the envelope carries exactly the frame's parts`, () => {
        const f = decodeFrame(b64(v.frame!));
        const built = encodeEnvelope(f.payload, f.publicKey, f.signature);
        assert.deepEqual(built, { payload: v.payload, public_key: v.public_key, signature: v.signature });
        // …and @keyhold/verify, which shares no code with the extension, reads the same parts back.
        const parsed = parseEnvelope({ ...built });
        assert.equal(toBase64(parsed.payload.bytes), v.payload);
        assert.equal(toBase64(parsed.publicKey!), v.public_key);
        assert.equal(toBase64(parsed.signature), v.signature);
      });
    }
  }

  for (const v of VECTORS.filter((x) => x.envelope && !('authenticator_data' in x.envelope))) {
    test(`${v.name}: reproduces the committed login envelope byte for byte`, () => {
      const e = v.envelope!;
      assert.equal(JSON.stringify(encodeEnvelope(b64(e.payload!), b64(e.public_key!), b64(e.signature!))), JSON.stringify(e));
    });
  }

  test('a part that is not bytes is a TypeError, never a half-built envelope', () => {
    const ok = new Uint8Array(40);
    for (const bad of [null, undefined, 'AAAA', [1, 2], new Uint16Array(2), {}]) {
      assert.throws(() => encodeEnvelope(bad as unknown as Uint8Array, ok, ok), TypeError);
      assert.throws(() => encodeEnvelope(ok, ok, bad as unknown as Uint8Array), TypeError);
    }
    assert.throws(() => encodeEnvelope(ok, null as unknown as Uint8Array, ok), TypeError);
  });
});

describe('encodePasskeyEnvelope (type 3)', () => {
  const passkey = VECTORS.filter((v) => v.envelope && 'authenticator_data' in v.envelope);
  test('there is a passkey vector', () => assert.equal(passkey.length >= 1, true));

  for (const v of passkey) {
    test(`${v.name}: the vector's members but public_key (the service knows the credential), in the spec's order, and @keyhold/verify reads it back`, () => {
      const e = v.envelope!;
      const built = encodePasskeyEnvelope(b64(e.payload!), {
        signature: b64(e.signature!),
        authenticatorData: b64(e.authenticator_data!),
        clientDataJSON: b64(e.client_data_json!),
        credentialId: b64(e.credential_id!),
      });
      const { public_key: _key, ...withoutKey } = e;
      assert.equal(JSON.stringify(built), JSON.stringify(withoutKey));
      assert.deepEqual(Object.keys(built), ['payload', 'signature', 'authenticator_data', 'client_data_json', 'credential_id']);
      const parsed = parseEnvelope({ ...built });
      assert.equal(parsed.publicKey, null);
      assert.equal(toBase64(parsed.assertion!.credentialId), e.credential_id);
      assert.equal(toBase64(parsed.assertion!.clientDataJson), e.client_data_json);
      assert.equal(toBase64(parsed.assertion!.authenticatorData), e.authenticator_data);
    });
  }
});
