/**
 * Test-side clients of the reference service: payloads built with `Buffer` from
 * `spec/signing.md` and signed with node:crypto (Ed25519, P-256) and noble (secp256k1), sharing
 * no code with the extension nor with the service.
 * @module
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58 } from '@scure/base';
import { startService, type RunningService, type ServiceOptions } from '../../service/server.js';

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
export const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();
export const uuidText = (b: Uint8Array): string =>
  Buffer.from(b).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** A service with a settable clock, started for one test. */
export interface TestService extends RunningService {
  now: number;
}

export async function start(opts: ServiceOptions = {}): Promise<TestService> {
  const box = { now: Date.now() };
  const service = await startService({ ...opts, clock: () => box.now });
  return Object.defineProperty(service, 'now', {
    get: () => box.now,
    set: (v: number) => {
      box.now = v;
    },
  }) as TestService;
}

/** A UUIDv7 with a random tail. */
export function uuidv7(ms: number = Date.now()): Buffer {
  const id = randomBytes(16);
  id.writeUIntBE(ms, 0, 6);
  id[6] = 0x70 | (id[6]! & 0x0f);
  id[8] = 0x80 | (id[8]! & 0x3f);
  return id;
}

export interface PayloadSpec {
  signatureType: number;
  requestType: number;
  body?: Uint8Array;
  issuedAtMs: number;
  expiresAtMs?: number;
  requestId?: Uint8Array;
}

/** header(8) ‖ request_id(16) ‖ body ‖ issued_at u64 ‖ expires_at u64, little-endian. */
export function payload(p: PayloadSpec): Buffer {
  const body = Buffer.from(p.body ?? new Uint8Array(0));
  const out = Buffer.alloc(40 + body.length);
  out[0] = 1;
  out[1] = p.signatureType;
  out.writeUInt16LE(p.requestType, 2);
  out.writeUInt32LE(body.length, 4);
  Buffer.from(p.requestId ?? uuidv7(p.issuedAtMs)).copy(out, 8);
  body.copy(out, 24);
  out.writeBigUInt64LE(BigInt(p.issuedAtMs), 24 + body.length);
  out.writeBigUInt64LE(BigInt(p.expiresAtMs ?? p.issuedAtMs + 60_000), 32 + body.length);
  return out;
}

export interface Envelope {
  payload: string;
  public_key?: string;
  signature: string;
  [member: string]: string | undefined;
}

/** An Ed25519 session key made by node:crypto. */
export class SessionKey {
  readonly privateKey: KeyObject;
  readonly publicKey: Buffer;
  constructor() {
    const pair = generateKeyPairSync('ed25519');
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  }
  sign(p: Uint8Array): Envelope {
    return { payload: b64(p), public_key: b64(this.publicKey), signature: b64(sign(null, p, this.privateKey)) };
  }
}

/** A secp256k1 master key made by noble; signs EIP-191 personal_sign, r ‖ s ‖ v. */
export class MasterKey {
  readonly publicKey: Uint8Array;
  /** EIP-55 checksummed address. */
  readonly address: string;
  constructor(readonly secret: Uint8Array = secp256k1.utils.randomSecretKey()) {
    this.publicKey = secp256k1.getPublicKey(secret, true);
    this.address = checksum(Buffer.from(keccak_256(secp256k1.getPublicKey(secret, false).subarray(1)).subarray(12)).toString('hex'));
  }
  sign(p: Uint8Array): Envelope {
    const prefix = Buffer.from(`\x19Ethereum Signed Message:\n${p.length}`);
    const digest = keccak_256(Buffer.concat([prefix, p]));
    const rec = secp256k1.sign(digest, this.secret, { prehash: false, format: 'recovered' });
    const sig = Buffer.concat([rec.subarray(1), Buffer.of(27 + rec[0]!)]);
    return { payload: b64(p), public_key: b64(this.publicKey), signature: b64(sig) };
  }
}

/** A simulated WebAuthn authenticator holding one P-256 credential. */
export class Passkey {
  readonly credentialId = randomBytes(16);
  readonly privateKey: KeyObject;
  readonly spki: Buffer;
  signCount = 0;
  constructor(
    readonly rpId = 'localhost',
    readonly origin = 'http://localhost:5173',
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.spki = pair.publicKey.export({ format: 'der', type: 'spki' });
  }
  registration(): Record<string, string> {
    return { credential_id: b64(this.credentialId), public_key_spki: b64(this.spki), rp_id: this.rpId, origin: this.origin };
  }
  /** An assertion whose challenge is SHA-256(payload); `tamper` overrides its parts. */
  sign(p: Uint8Array, tamper: { type?: string; origin?: string; rpId?: string; flags?: number; challenge?: string } = {}): Envelope {
    const authData = Buffer.alloc(37);
    sha256(tamper.rpId ?? this.rpId).copy(authData, 0);
    authData[32] = tamper.flags ?? 0x05;
    authData.writeUInt32BE(++this.signCount, 33);
    const clientData = Buffer.from(JSON.stringify({
      type: tamper.type ?? 'webauthn.get',
      challenge: tamper.challenge ?? sha256(p).toString('base64url'),
      origin: tamper.origin ?? this.origin,
      crossOrigin: false,
    }));
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), { key: this.privateKey, dsaEncoding: 'der' });
    return {
      payload: b64(p),
      public_key: b64(this.spki),
      signature: b64(signature),
      authenticator_data: b64(authData),
      client_data_json: b64(clientData),
      credential_id: b64(this.credentialId),
    };
  }
}

/** payload_length u32 ‖ payload ‖ key_length u8 ‖ key ‖ sig_length u8 ‖ sig, from an envelope. */
export function frameOf(e: Envelope): Buffer {
  const p = Buffer.from(e.payload, 'base64');
  const k = Buffer.from(e.public_key ?? '', 'base64');
  const s = Buffer.from(e.signature, 'base64');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(p.length);
  return Buffer.concat([len, p, Buffer.of(k.length), k, Buffer.of(s.length), s]);
}

/** EIP-55 of 40 lower-case hex digits. */
export function checksum(hex: string): string {
  const hash = Buffer.from(keccak_256(Buffer.from(hex, 'ascii'))).toString('hex');
  return `0x${[...hex].map((c, i) => (parseInt(hash[i]!, 16) >= 8 ? c.toUpperCase() : c)).join('')}`;
}

/** What a bound login names (spec/signing.md §8). */
export interface LoginSpec {
  site: string;
  audience: string;
  sessionId: string;
  publicKey: Uint8Array;
  role?: 'TRADING_ONLY' | 'FULL_ACCESS';
  subaccountIndex?: number | null;
  requestTypes?: number[] | null;
  validUntilMs: number;
  issuedAtMs: number;
  expiresAtMs?: number;
  nonce?: string;
  /** secp256k1 (with this address and chain) or passkey (null). */
  address: string | null;
  chainId?: number;
}

/** The login message, built from spec/signing.md §8 with template strings. */
export function loginMessage(s: LoginSpec): string {
  const role = s.role ?? 'TRADING_ONLY';
  const sub = s.subaccountIndex ?? null;
  const types = s.requestTypes ?? null;
  const iso = (ms: number) => new Date(ms).toISOString();
  const did = `did:key:z${base58.encode(Buffer.concat([Buffer.of(0xed, 0x01), Buffer.from(s.publicKey)]))}`;
  const caveats = { publicKey: b64(s.publicKey), requestTypes: types, role, site: s.site, subaccountIndex: sub, validUntilMs: s.validUntilMs };
  const recap = Buffer.from(JSON.stringify({ att: { [s.audience]: { 'keyhold/session': [caveats] } }, prf: [] })).toString('base64url');
  const terms = `${role === 'FULL_ACCESS' ? 'full access' : 'trading only'}, ${sub === null ? 'main account' : `subaccount ${sub}`}, ${types === null ? 'any request type' : `request types ${types.join(' ')}`}, until ${iso(s.validUntilMs)}`;
  const statement = `Allow a Keyhold session key for ${s.site} at ${s.audience}: ${terms}. I further authorize the stated URI to perform the following actions on my behalf: (1) 'keyhold': 'session' for '${s.audience}'.`;
  const head = s.address === null ? [`${s.site} wants you to sign in with your passkey:`] : [`${s.site} wants you to sign in with your Ethereum account:`, s.address];
  return [
    ...head, '', statement, '', `URI: ${did}`, 'Version: 1',
    ...(s.address === null ? [] : [`Chain ID: ${s.chainId ?? 1}`]),
    `Nonce: ${s.nonce ?? randomBytes(12).toString('hex')}`,
    `Issued At: ${iso(s.issuedAtMs)}`, `Expiration Time: ${iso(s.expiresAtMs ?? s.issuedAtMs + 60_000)}`,
    `Request ID: ${s.sessionId}`, 'Resources:', `- urn:recap:${recap}`,
  ].join('\n');
}

export interface SessionSpec {
  sessionId?: Uint8Array;
  publicKey: Uint8Array;
  role?: 0 | 1;
  subaccount?: number | null;
  validUntilMs: number;
}

/** CreateSession body: id(16) | key(32) | role u8 | flag u8 | index u32 LE | valid_until u64 LE. */
export function createSessionBody(s: SessionSpec): Buffer {
  const out = Buffer.alloc(62);
  Buffer.from(s.sessionId ?? uuidv7()).copy(out, 0);
  Buffer.from(s.publicKey).copy(out, 16);
  out[48] = s.role ?? 0;
  const sub = s.subaccount ?? null;
  out[49] = sub === null ? 0 : 1;
  out.writeUInt32LE(sub ?? 0, 50);
  out.writeBigUInt64LE(BigInt(s.validUntilMs), 54);
  return out;
}

/** A master call's scope: audience_length u8 ‖ audience ‖ site_length u8 ‖ site, ASCII. */
export function scopeBody(audience: string, site = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'): Buffer {
  const a = Buffer.from(audience, 'latin1');
  const s = Buffer.from(site, 'latin1');
  return Buffer.concat([Buffer.of(a.length), a, Buffer.of(s.length), s]);
}

export interface Answer {
  status: number;
  json: any;
  headers: Headers;
}

/** POSTs a JSON value (or raw bytes as a binary frame). */
export async function post(
  service: { url: string },
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const binary = body instanceof Uint8Array;
  const res = await fetch(service.url + path, {
    method: 'POST',
    headers: { 'content-type': binary ? 'application/octet-stream' : 'application/json', ...headers },
    body: binary ? new Uint8Array(body as Uint8Array<ArrayBuffer>) : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : JSON.parse(text), headers: res.headers };
}

/** A logged-in session: its key, id, device key and row. */
export interface LoggedIn {
  key: SessionKey;
  id: Uint8Array;
  deviceKey: string;
  row: any;
}

/** The bound login of a fresh session key at `service` for its own site (a passkey's: its origin), as spec/signing.md §8 builds it. */
export function loginFor(
  service: TestService,
  master: MasterKey | Passkey,
  key: SessionKey,
  id: Uint8Array,
  opts: { role?: 0 | 1; subaccount?: number | null; ttlMs?: number; site?: string; audience?: string } = {},
): Buffer {
  const passkey = master instanceof Passkey;
  return Buffer.from(loginMessage({
    site: opts.site ?? (passkey ? master.origin : service.url),
    audience: opts.audience ?? service.url,
    sessionId: uuidText(id),
    publicKey: key.publicKey,
    role: opts.role === 1 ? 'FULL_ACCESS' : 'TRADING_ONLY',
    subaccountIndex: opts.subaccount ?? null,
    validUntilMs: service.now + (opts.ttlMs ?? 3_600_000),
    issuedAtMs: service.now,
    address: passkey ? null : master.address,
  }));
}

/** Logs a fresh session key in with `master` (secp256k1 unless a passkey is given). */
export async function login(
  service: TestService,
  master: MasterKey | Passkey,
  opts: { role?: 0 | 1; subaccount?: number | null; ttlMs?: number } = {},
): Promise<LoggedIn> {
  const key = new SessionKey();
  const id = uuidv7(service.now);
  const answer = await post(service, '/api/v1/login', master.sign(loginFor(service, master, key, id, opts)));
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.json)}`);
  return { key, id, deviceKey: answer.json.device_key, row: answer.json.session };
}

/** A session-signed order payload (PlaceOrder, request type 1). */
export function orderPayload(now: number, order: unknown = { side: 'buy', qty: 1 }, extra: Partial<PayloadSpec> = {}): Buffer {
  return payload({ signatureType: 1, requestType: 1, body: Buffer.from(JSON.stringify(order)), issuedAtMs: now, ...extra });
}
