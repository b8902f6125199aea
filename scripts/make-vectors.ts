/**
 * Writes the golden signing vectors, `test/vectors/signing.json`. Deterministic: fixed keys,
 * fixed request ids, fixed clock, deterministic signatures (RFC 8032, RFC 6979), so running it
 * twice gives the same file. Run with `npx tsx scripts/make-vectors.ts`.
 *
 * The payloads and frames are built here with Node's Buffer, independently of `src/wire/`, so the
 * vectors check the code under test instead of echoing it. Layout: `spec/signing.md`.
 *
 * Fixed keys (test only, public, never use them for anything else):
 * - Ed25519 seed: bytes 0x00..0x1f
 * - Secp256k1 private key: bytes 0x01..0x20
 * - P-256 (synthetic passkey) private key: bytes 0x40..0x5f
 * @module
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58 } from '@scure/base';

const OUT = new URL('../test/vectors/signing.json', import.meta.url);
const ED25519_SEED = seq(0x00, 32);
const SECP256K1_KEY = seq(0x01, 32);
const P256_KEY = seq(0x40, 32);
const T0 = 1_750_000_000_000; // 2025-06-15T15:06:40Z
const WINDOW = 60_000;
const MAX_BODY = 65536;
const P256_SPKI_PREFIX = '3059301306072a8648ce3d020106082a8648ce3d030107034200';

function seq(start: number, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => (start + i) & 0xff));
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

/** A fixed UUIDv7: 48-bit ms, version 7, 12 bits of `n`, variant 10, 62 bits of `n`. */
function requestId(ms: number, n: number): Buffer {
  const h = ms.toString(16).padStart(12, '0') + '7' + n.toString(16).padStart(3, '0') + '8000' +
    n.toString(16).padStart(12, '0');
  return Buffer.from(h, 'hex');
}

interface Inputs {
  signature_type: 1 | 2 | 3;
  request_type: number;
  request_id: Buffer;
  body: Buffer;
  issued_at_ms: number;
  expires_at_ms: number;
}

function payload(i: Inputs): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt8(1, 0);
  head.writeUInt8(i.signature_type, 1);
  head.writeUInt16LE(i.request_type, 2);
  head.writeUInt32LE(i.body.length, 4);
  const auth = Buffer.alloc(16);
  auth.writeBigUInt64LE(BigInt(i.issued_at_ms), 0);
  auth.writeBigUInt64LE(BigInt(i.expires_at_ms), 8);
  return Buffer.concat([head, i.request_id, i.body, auth]);
}

function frame(p: Buffer, key: Uint8Array, sig: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(p.length, 0);
  return Buffer.concat([len, p, Buffer.of(key.length), key, Buffer.of(sig.length), sig]);
}

function inputsJson(i: Inputs, bodyJson: Record<string, unknown> = { body: hex(i.body) }): object {
  return {
    signature_type: i.signature_type,
    request_type: i.request_type,
    request_id: hex(i.request_id),
    ...bodyJson,
    issued_at_ms: i.issued_at_ms,
    expires_at_ms: i.expires_at_ms,
  };
}

function personalSignHash(p: Uint8Array): Uint8Array {
  return keccak_256(Buffer.concat([Buffer.from(`\x19Ethereum Signed Message:\n${p.length}`), p]));
}

const edPublic = ed25519.getPublicKey(ED25519_SEED);
const secpPublic = secp256k1.getPublicKey(SECP256K1_KEY, true);
const secpAddress = '0x' + hex(keccak_256(secp256k1.getPublicKey(SECP256K1_KEY, false).subarray(1)).subarray(12));
const p256Public = Buffer.concat([Buffer.from(P256_SPKI_PREFIX, 'hex'), p256.getPublicKey(P256_KEY, false)]);

let n = 0;
function inputs(signature_type: 1 | 2 | 3, request_type: number, body: Buffer): Inputs {
  n += 1;
  const issued = T0 + n * 1000;
  return {
    signature_type,
    request_type,
    request_id: requestId(issued, n),
    body,
    issued_at_ms: issued,
    expires_at_ms: issued + WINDOW,
  };
}

function ed25519Vector(name: string, description: string, i: Inputs, bodyJson?: Record<string, unknown>): object {
  const p = payload(i);
  const sig = ed25519.sign(p, ED25519_SEED);
  return {
    name,
    description,
    inputs: inputsJson(i, bodyJson),
    payload: b64(p),
    public_key: b64(edPublic),
    signature: b64(sig),
    frame: b64(frame(p, edPublic, sig)),
  };
}

/** The vector key's signature of a personal_sign digest, as the wire carries it. */
function personalSignature(digest: Uint8Array): Buffer {
  // noble's 'recovered' format is recovery || r || s; the wire wants r || s || v, v = 27 + recovery.
  const rec = secp256k1.sign(digest, SECP256K1_KEY, { prehash: false, format: 'recovered' });
  return Buffer.concat([rec.subarray(1), Buffer.of(27 + rec[0]!)]);
}

function secp256k1Vector(name: string, description: string, i: Inputs, bodyJson: Record<string, unknown>): object {
  const p = payload(i);
  const digest = personalSignHash(p);
  const sig = personalSignature(digest);
  return {
    name,
    description,
    inputs: inputsJson(i, bodyJson),
    personal_sign_hash: hex(digest),
    payload: b64(p),
    public_key: b64(secpPublic),
    signature: b64(sig),
    frame: b64(frame(p, secpPublic, sig)),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** EIP-55 checksum of 40 lower-case hex digits. */
function checksum(lower: string): string {
  const h = hex(keccak_256(Buffer.from(lower, 'ascii')));
  return '0x' + [...lower].map((c, k) => (parseInt(h[k]!, 16) >= 8 ? c.toUpperCase() : c)).join('');
}

interface LoginFields {
  site: string;
  audience: string;
  session_id: string;
  role: 'TRADING_ONLY' | 'FULL_ACCESS';
  subaccount_index: number | null;
  request_types: number[] | null;
  valid_until_ms: number;
  nonce: string;
  issued_at_ms: number;
  expires_at_ms: number;
}

/** The bound login message of spec/signing.md §8, built from its template with strings only. */
function loginText(f: LoginFields, address: string | null): string {
  const did = 'did:key:z' + base58.encode(Buffer.concat([Buffer.of(0xed, 0x01), Buffer.from(edPublic)]));
  const caveats = { publicKey: b64(edPublic), requestTypes: f.request_types, role: f.role, site: f.site, subaccountIndex: f.subaccount_index, validUntilMs: f.valid_until_ms };
  const recap = Buffer.from(JSON.stringify({ att: { [f.audience]: { 'keyhold/session': [caveats] } }, prf: [] })).toString('base64url');
  const terms = [
    f.role === 'FULL_ACCESS' ? 'full access' : 'trading only',
    f.subaccount_index === null ? 'main account' : `subaccount ${f.subaccount_index}`,
    f.request_types === null ? 'any request type' : `request types ${f.request_types.join(' ')}`,
    `until ${iso(f.valid_until_ms)}`,
  ].join(', ');
  const statement = `Allow a Keyhold session key for ${f.site} at ${f.audience}: ${terms}. ` +
    `I further authorize the stated URI to perform the following actions on my behalf: (1) 'keyhold': 'session' for '${f.audience}'.`;
  const head = address === null ? [`${f.site} wants you to sign in with your passkey:`] : [`${f.site} wants you to sign in with your Ethereum account:`, address];
  return [...head, '', statement, '', `URI: ${did}`, 'Version: 1', ...(address === null ? [] : ['Chain ID: 1']),
    `Nonce: ${f.nonce}`, `Issued At: ${iso(f.issued_at_ms)}`, `Expiration Time: ${iso(f.expires_at_ms)}`,
    `Request ID: ${f.session_id}`, 'Resources:', `- urn:recap:${recap}`].join('\n');
}

const VECTOR_SITE = 'https://app.exchange.example';
const VECTOR_AUDIENCE = 'https://api.exchange.example';

function loginVector(name: string, description: string, f: LoginFields): object {
  const address = checksum(secpAddress.slice(2));
  const message = Buffer.from(loginText(f, address));
  const digest = personalSignHash(message);
  const sig = personalSignature(digest);
  return {
    name,
    description,
    inputs: { ...f, session_public_key: hex(edPublic), address, chain_id: 1 },
    message: message.toString('utf8'),
    personal_sign_hash: hex(digest),
    envelope: { payload: b64(message), public_key: b64(secpPublic), signature: b64(sig) },
  };
}

/** A master call's scope (§5.2): audience_length u8 ‖ audience ‖ site_length u8 ‖ site, ASCII. */
function scope(audience: string, site: string): Buffer {
  const a = Buffer.from(audience, 'ascii');
  const s = Buffer.from(site, 'ascii');
  return Buffer.concat([Buffer.of(a.length), a, Buffer.of(s.length), s]);
}
const SERVICE = VECTOR_AUDIENCE;
const CHROME_POPUP = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

const vectors: object[] = [];

vectors.push(ed25519Vector('ed25519-empty-body',
  'Empty body; request_type 0x0201 so its little-endian bytes read 01 02.',
  inputs(1, 0x0201, Buffer.alloc(0))));
vectors.push(ed25519Vector('ed25519-one-byte-body', 'A 1-byte body.', inputs(1, 1, Buffer.of(0x2a))));
vectors.push(ed25519Vector('ed25519-1kib-body', 'A 1024-byte body, byte i = (7*i + 3) mod 256.',
  inputs(1, 0x1234, Buffer.from(Array.from({ length: 1024 }, (_, i) => (7 * i + 3) & 0xff)))));
{
  // The largest body: stored by pattern and digests to keep the file small.
  const i = inputs(1, 0xffff, Buffer.from(Array.from({ length: MAX_BODY }, (_, k) => k & 0xff)));
  const p = payload(i);
  const sig = ed25519.sign(p, ED25519_SEED);
  const { body: _, ...rest } = inputsJson(i) as Record<string, unknown>;
  vectors.push({
    name: 'ed25519-max-body',
    description: 'A 65536-byte body (MAX_BODY_BYTES), byte i = i mod 256. Payload and frame are given by SHA-256 only.',
    inputs: { ...rest, body_pattern: 'i mod 256', body_length: MAX_BODY },
    payload_sha256: hex(sha256(p)),
    public_key: b64(edPublic),
    signature: b64(sig),
    frame_sha256: hex(sha256(frame(p, edPublic, sig))),
  });
}
{
  const sessionId = Buffer.from('0197742f-7b80-7abc-8def-0123456789ab'.replaceAll('-', ''), 'hex');
  vectors.push(ed25519Vector('revoke-session', 'RevokeSession (14): body = session_id.',
    inputs(1, 14, sessionId), { body: hex(sessionId), body_fields: { session_id: hex(sessionId) } }));
}
{
  const body = scope(SERVICE, CHROME_POPUP);
  vectors.push(ed25519Vector('list-sessions', 'ListSessions (47): body = scope (audience, site).',
    inputs(1, 47, body), { body: hex(body), body_fields: { audience: SERVICE, site: CHROME_POPUP } }));
}
vectors.push(loginVector('login-secp256k1',
  'A bound login (spec/signing.md §8) signed by the Secp256k1 master (EIP-191 personal_sign over the message bytes). ' +
    'Registers the Ed25519 key of this file at https://api.exchange.example for https://app.exchange.example: ' +
    'TRADING_ONLY, subaccount 3, request types 1 and 2, valid 7 days.',
  {
    site: VECTOR_SITE, audience: VECTOR_AUDIENCE, session_id: '01977420-f758-7abc-8000-000000000abc',
    role: 'TRADING_ONLY', subaccount_index: 3, request_types: [1, 2], valid_until_ms: T0 + 7 * 24 * 3600 * 1000,
    nonce: 'KeyholdVector0001', issued_at_ms: T0, expires_at_ms: T0 + WINDOW,
  }));
vectors.push(loginVector('login-secp256k1-full-access',
  'A bound login: FULL_ACCESS, the main account, any request type, valid 1 day.',
  {
    site: VECTOR_SITE, audience: VECTOR_AUDIENCE, session_id: '01977420-fb40-7def-8000-000000000def',
    role: 'FULL_ACCESS', subaccount_index: null, request_types: null, valid_until_ms: T0 + 24 * 3600 * 1000,
    nonce: 'KeyholdVector0002', issued_at_ms: T0 + 1000, expires_at_ms: T0 + 1000 + WINDOW,
  }));
{
  const sessionId = Buffer.from('0197742f-7b80-7abc-8def-0123456789ab'.replaceAll('-', ''), 'hex');
  const site = 'https://exchange.example';
  const body = Buffer.concat([sessionId, scope(SERVICE, site)]);
  const i = inputs(3, 14, body);
  const p = payload(i);
  const challenge = sha256(p);
  // A synthetic WebAuthn assertion made with a fixed P-256 key, as an authenticator would.
  const rpId = 'keyhold.invalid';
  const authenticatorData = Buffer.concat([sha256(Buffer.from(rpId)), Buffer.of(0x05), Buffer.of(0, 0, 0, 1)]);
  const clientDataJson = Buffer.from(JSON.stringify({
    type: 'webauthn.get',
    challenge: b64url(challenge),
    origin: `https://${rpId}`,
    crossOrigin: false,
  }));
  const signed = Buffer.concat([authenticatorData, sha256(clientDataJson)]);
  const sig = p256.sign(signed, P256_KEY, { format: 'der' }); // prehash: SHA-256, as ES256
  vectors.push({
    name: 'passkey-revoke-session',
    description: 'Master RevokeSession (body = session_id ‖ scope) signed with a passkey. challenge = SHA-256(payload). The assertion is ' +
      'SYNTHETIC (fixed P-256 key, placeholder rp_id/origin "keyhold.invalid", flags UP|UV, sign count 1), ' +
      'made to show the envelope; a real authenticator produces the same structure.',
    inputs: inputsJson(i, { body: hex(body), body_fields: { session_id: hex(sessionId), audience: SERVICE, site } }),
    payload: b64(p),
    challenge: hex(challenge),
    challenge_base64url: b64url(challenge),
    envelope: {
      payload: b64(p),
      public_key: b64(p256Public),
      signature: b64(sig),
      authenticator_data: b64(authenticatorData),
      client_data_json: b64(clientDataJson),
      credential_id: b64(seq(0xc0, 16)),
    },
  });
}

{
  // The master's own calls, as Keyhold's popup makes them (§5.1, §5.2).
  const body = scope('http://127.0.0.1:8080', CHROME_POPUP);
  vectors.push(secp256k1Vector('list-sessions-secp256k1',
    'ListSessions (47) signed by the Secp256k1 master, for the service at http://127.0.0.1:8080, asked by the Chromium popup.',
    inputs(2, 47, body), { body: hex(body), body_fields: { audience: 'http://127.0.0.1:8080', site: CHROME_POPUP } }));
}
{
  const sessionId = Buffer.from('0197742f-7b80-7abc-8def-0123456789ab'.replaceAll('-', ''), 'hex');
  const site = 'moz-extension://0b1e2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
  const body = Buffer.concat([sessionId, scope(SERVICE, site)]);
  vectors.push(secp256k1Vector('revoke-session-secp256k1',
    'Master RevokeSession (14) signed by the Secp256k1 master: body = session_id ‖ scope, asked by the Firefox popup.',
    inputs(2, 14, body), { body: hex(body), body_fields: { session_id: hex(sessionId), audience: SERVICE, site } }));
}

const file = {
  description: 'Keyhold signing golden vectors; format in spec/signing.md. Binary values are standard ' +
    'base64 unless the key says hex. Generated by scripts/make-vectors.ts; do not edit by hand.',
  wire_version: 1,
  auth_window_ms: WINDOW,
  keys: {
    ed25519: { seed: hex(ED25519_SEED), public_key: hex(edPublic) },
    secp256k1: { private_key: hex(SECP256K1_KEY), public_key_compressed: hex(secpPublic), address: secpAddress },
    p256_passkey: { private_key: hex(P256_KEY), public_key_spki: hex(p256Public) },
  },
  vectors,
};
writeFileSync(OUT, JSON.stringify(file, null, 2) + '\n');
console.log(`wrote ${vectors.length} vectors to ${OUT.pathname}`);
