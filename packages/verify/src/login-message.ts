/**
 * The bound login message (`spec/signing.md`, the login): an EIP-4361 message (or its passkey
 * form) whose domain is the site, whose URI is the session key's `did:key`, and whose one
 * EIP-5573 ReCap grants `keyhold/session` at the audience (the service) with the session's
 * terms. Parsed strictly: the statement must be exactly the one the terms give, so what the
 * user read is what the service registers.
 * @module
 */
import { base58, base64urlnopad } from '@scure/base';
import { decodeBase64, encodeBase64 } from './base64.js';
import { badRequest } from './errors.js';

/** What a session may do at its service. */
export type Role = 'TRADING_ONLY' | 'FULL_ACCESS';

export const MAX_LOGIN_MESSAGE_BYTES = 4096;
const ETH_HEADER = ' wants you to sign in with your Ethereum account:';
const PASSKEY_HEADER = ' wants you to sign in with your passkey:';
const ABILITY = 'keyhold/session';
const CAVEAT_KEYS = ['publicKey', 'requestTypes', 'role', 'site', 'subaccountIndex', 'validUntilMs'];

export interface LoginMessage {
  /** The signed bytes. */
  bytes: Uint8Array;
  kind: 'secp256k1' | 'passkey';
  site: string;
  /** EIP-55 address (secp256k1 only). */
  address: string | null;
  chainId: number | null;
  audience: string;
  sessionId: string;
  publicKey: Uint8Array;
  role: Role;
  subaccountIndex: number | null;
  requestTypes: number[] | null;
  validUntilMs: number;
  nonce: string;
  issuedAtMs: number;
  expiresAtMs: number;
}

const bad = (why: string) => badRequest('bad_login_message', `login message ${why}`);

/** A JSON value's own members, or null when it is not an object. */
const membersOf = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : null;

/** Sorted distinct u16s, at least one. */
const isRequestTypes = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length > 0 && v.every((t: unknown, k) => typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 0xffff && (k === 0 || t > v[k - 1]));

function field(line: string | undefined, label: string): string {
  if (line === undefined || !line.startsWith(`${label}: `)) throw bad(`needs "${label}: " here`);
  return line.slice(label.length + 2);
}

function isOrigin(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === s;
  } catch {
    return false;
  }
}

function isoMs(s: string, what: string): number {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(s)) throw bad(`${what} must be an ISO 8601 UTC time with milliseconds`);
  const ms = Date.parse(s);
  if (!Number.isFinite(ms) || new Date(ms).toISOString() !== s) throw bad(`${what} is not a valid time`);
  return ms;
}

/** The words the statement must hold for these terms (spec/signing.md §8.2). */
export function expectedStatement(m: Pick<LoginMessage, 'site' | 'audience' | 'role' | 'subaccountIndex' | 'requestTypes' | 'validUntilMs'>): string {
  const role = m.role === 'FULL_ACCESS' ? 'full access' : 'trading only';
  const account = m.subaccountIndex === null ? 'main account' : `subaccount ${m.subaccountIndex}`;
  const types = m.requestTypes === null ? 'any request type' : `request types ${m.requestTypes.join(' ')}`;
  return (
    `Allow a Keyhold session key for ${m.site} at ${m.audience}: ${role}, ${account}, ${types}, until ${new Date(m.validUntilMs).toISOString()}. ` +
    `I further authorize the stated URI to perform the following actions on my behalf: (1) 'keyhold': 'session' for '${m.audience}'.`
  );
}

function parseRecap(resource: string): { audience: string; caveats: Record<string, unknown> } {
  if (!resource.startsWith('urn:recap:')) throw bad('must end with a urn:recap: resource');
  const b64url = resource.slice('urn:recap:'.length);
  if (!/^[A-Za-z0-9_-]+$/.test(b64url)) throw bad('ReCap is not base64url without padding');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlnopad.decode(b64url)));
  } catch {
    throw bad('ReCap is not JSON');
  }
  const recap = membersOf(json);
  if (recap === null || Object.keys(recap).sort().join() !== 'att,prf' || !Array.isArray(recap.prf)) {
    throw bad('ReCap must be {att, prf}');
  }
  const att = membersOf(recap.att) ?? {};
  const [audience, ...others] = Object.keys(att);
  if (audience === undefined || others.length > 0) throw bad('ReCap must name exactly one service');
  const abilities = membersOf(att[audience]);
  if (abilities === null || Object.keys(abilities).join() !== ABILITY) throw bad(`ReCap must grant exactly '${ABILITY}'`);
  const notes = abilities[ABILITY];
  const caveats = Array.isArray(notes) && notes.length === 1 ? membersOf(notes[0]) : null;
  if (caveats === null) throw bad('ReCap must carry one caveat object');
  if (Object.keys(caveats).sort().join() !== CAVEAT_KEYS.join()) throw bad(`ReCap caveats must be exactly ${CAVEAT_KEYS.join(', ')}`);
  return { audience, caveats };
}

function didKeyPublicKey(did: string): Uint8Array {
  if (!did.startsWith('did:key:z')) throw bad('URI must be the session key as an Ed25519 did:key');
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(did.slice('did:key:z'.length));
  } catch {
    throw bad('URI is not base58btc');
  }
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) throw bad('URI is not an Ed25519 did:key');
  return bytes.slice(2);
}

/**
 * Parses a login message.
 * @throws VerifyError 400 `bad_login_message` naming what is wrong
 */
export function parseLoginMessage(bytes: Uint8Array): LoginMessage {
  if (bytes.length > MAX_LOGIN_MESSAGE_BYTES) throw bad(`exceeds ${MAX_LOGIN_MESSAGE_BYTES} bytes`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw bad('is not UTF-8 text (a binary CreateSession payload is no longer accepted: logins must name their service and site)');
  }
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  const kind = first.endsWith(ETH_HEADER) ? 'secp256k1' : first.endsWith(PASSKEY_HEADER) ? 'passkey' : null;
  if (kind === null) throw bad('does not start with "<site> wants you to sign in with your Ethereum account:" (or "…your passkey:")');
  const site = first.slice(0, first.length - (kind === 'secp256k1' ? ETH_HEADER : PASSKEY_HEADER).length);
  if (!isOrigin(site)) throw bad('must start with the site as an origin (scheme://host[:port])');
  let i = 1;
  let address: string | null = null;
  if (kind === 'secp256k1') {
    address = lines[i++] ?? '';
    if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw bad('needs the signing address on its second line');
  }
  if (lines[i++] !== '') throw bad('needs an empty line before the statement');
  const statement = lines[i++] ?? '';
  if (lines[i++] !== '') throw bad('needs an empty line after the statement');
  const publicKey = didKeyPublicKey(field(lines[i++], 'URI'));
  if (field(lines[i++], 'Version') !== '1') throw bad('Version must be 1');
  let chainId: number | null = null;
  if (kind === 'secp256k1') {
    const c = field(lines[i++], 'Chain ID');
    if (!/^[1-9][0-9]{0,15}$/.test(c) || !Number.isSafeInteger(Number(c))) throw bad('Chain ID must be a positive integer');
    chainId = Number(c);
  }
  const nonce = field(lines[i++], 'Nonce');
  if (!/^[A-Za-z0-9]{16,64}$/.test(nonce)) throw bad('Nonce must be 16 to 64 letters and digits');
  const issuedAtMs = isoMs(field(lines[i++], 'Issued At'), 'Issued At');
  const expiresAtMs = isoMs(field(lines[i++], 'Expiration Time'), 'Expiration Time');
  const sessionId = field(lines[i++], 'Request ID');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(sessionId)) throw bad('Request ID must be the session id, a lower-case UUIDv7');
  if (lines[i++] !== 'Resources:') throw bad('needs "Resources:"');
  const resource = lines[i++];
  if (resource === undefined || !resource.startsWith('- ')) throw bad('needs one resource');
  if (i !== lines.length) throw bad('has lines after its one resource');
  const { audience, caveats } = parseRecap(resource.slice(2));
  if (!isOrigin(audience)) throw bad('ReCap target must be the service origin');
  if (caveats.site !== site) throw bad('ReCap site must be the site the message starts with');
  if (typeof caveats.publicKey !== 'string' || caveats.publicKey !== encodeBase64(publicKey)) throw bad('ReCap publicKey must be the URI key');
  decodeBase64(caveats.publicKey, 'publicKey');
  const role = caveats.role;
  if (role !== 'TRADING_ONLY' && role !== 'FULL_ACCESS') throw bad('ReCap role must be TRADING_ONLY or FULL_ACCESS');
  const sub = caveats.subaccountIndex;
  if (sub !== null && !(typeof sub === 'number' && Number.isInteger(sub) && sub >= 0 && sub <= 0xffffffff)) throw bad('ReCap subaccountIndex must be null or a u32');
  const types = caveats.requestTypes;
  if (types !== null && !isRequestTypes(types)) throw bad('ReCap requestTypes must be null or sorted distinct u16s');
  const validUntilMs = caveats.validUntilMs;
  if (typeof validUntilMs !== 'number' || !Number.isSafeInteger(validUntilMs) || validUntilMs < 0) throw bad('ReCap validUntilMs must be a non-negative integer');
  const parsed: LoginMessage = {
    bytes,
    kind,
    site,
    address,
    chainId,
    audience,
    sessionId,
    publicKey,
    role,
    subaccountIndex: sub,
    requestTypes: types,
    validUntilMs,
    nonce,
    issuedAtMs,
    expiresAtMs,
  };
  if (statement !== expectedStatement(parsed)) throw bad('statement does not state the ReCap terms exactly');
  return parsed;
}
