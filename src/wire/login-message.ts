/**
 * The bound login (`spec/signing.md` §8): the readable text a master signs to register a session
 * key at a service. For a secp256k1 master it is a Sign-In with Ethereum message (EIP-4361)
 * whose domain is the requesting site, whose URI is the session key as a `did:key`, and whose
 * one ReCap (EIP-5573) grants `keyhold/session` at the service (the audience) with the
 * session's terms. Any wallet shows it as a sign-in with its own domain check; the service
 * refuses it unless it is the audience and serves the site. A passkey master signs the same
 * lines without the address and chain (its WebAuthn origin binds the site).
 * @module
 */
import { base58, base64urlnopad } from '@scure/base';
import { fromBase64, toBase64 } from '../encoding/base64.js';

export type LoginRole = 'TRADING_ONLY' | 'FULL_ACCESS';

/** Who signs the login. */
export type LoginMaster = { kind: 'secp256k1'; address: string; chainId: number } | { kind: 'passkey' };

/** Everything a login names. Times are Unix ms. */
export interface LoginGrant {
  /** The requesting site's origin, from the browser. */
  site: string;
  /** The service's origin: the only place the login is valid. */
  audience: string;
  /** The session's UUID (v7) string; the service may assign its own. */
  sessionId: string;
  /** Raw 32-byte Ed25519 public key of the session. */
  publicKey: Uint8Array;
  role: LoginRole;
  subaccountIndex: number | null;
  /** Sorted; null means any request type. */
  requestTypes: number[] | null;
  validUntilMs: number;
  issuedAtMs: number;
  expiresAtMs: number;
  /** Single use at the service: 16 or more letters and digits. */
  nonce: string;
  master: LoginMaster;
}

export const LOGIN_NAMESPACE = 'keyhold';
export const LOGIN_ABILITY = 'session';
export const LOGIN_AUTH_WINDOW_MS = 60_000;
const RECAP_PREFIX = 'urn:recap:';
/** Multicodec ed25519-pub (0xed, varint-encoded) before the key, per did:key. */
const ED25519_MULTICODEC = Uint8Array.of(0xed, 0x01);
const ETH_HEADER = ' wants you to sign in with your Ethereum account:';
const PASSKEY_HEADER = ' wants you to sign in with your passkey:';

/** The session key as a `did:key` (base58btc multibase). */
export function didKey(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new RangeError('publicKey must be 32 bytes');
  const bytes = new Uint8Array(34);
  bytes.set(ED25519_MULTICODEC, 0);
  bytes.set(publicKey, 2);
  return `did:key:z${base58.encode(bytes)}`;
}

/** The raw key of an Ed25519 `did:key`. @throws RangeError when it is not one. */
export function didKeyPublicKey(did: string): Uint8Array {
  if (!did.startsWith('did:key:z')) throw new RangeError('URI is not a did:key');
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(did.slice('did:key:z'.length));
  } catch {
    throw new RangeError('URI is not base58btc');
  }
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) throw new RangeError('URI is not an Ed25519 did:key');
  return bytes.slice(2);
}

/** The ReCap caveats: the session's terms, with keys in JCS (sorted) order. */
function caveats(g: LoginGrant): Record<string, unknown> {
  return {
    publicKey: toBase64(g.publicKey),
    requestTypes: g.requestTypes,
    role: g.role,
    site: g.site,
    subaccountIndex: g.subaccountIndex,
    validUntilMs: g.validUntilMs,
  };
}

/** The ReCap resource: `urn:recap:` + base64url (no padding) of its canonical JSON. */
export function recapResource(g: LoginGrant): string {
  const recap = { att: { [g.audience]: { [`${LOGIN_NAMESPACE}/${LOGIN_ABILITY}`]: [caveats(g)] } }, prf: [] };
  return RECAP_PREFIX + base64urlnopad.encode(new TextEncoder().encode(JSON.stringify(recap)));
}

const iso = (ms: number): string => new Date(ms).toISOString();

function describeTerms(g: LoginGrant): string {
  const role = g.role === 'FULL_ACCESS' ? 'full access' : 'trading only';
  const account = g.subaccountIndex === null ? 'main account' : `subaccount ${g.subaccountIndex}`;
  const types = g.requestTypes === null ? 'any request type' : `request types ${g.requestTypes.join(' ')}`;
  return `${role}, ${account}, ${types}, until ${iso(g.validUntilMs)}`;
}

/**
 * The statement: the terms in words, then the sentence EIP-5573 derives from the ReCap, so what
 * the user reads is exactly what the service grants.
 */
export function loginStatement(g: LoginGrant): string {
  return (
    `Allow a Keyhold session key for ${g.site} at ${g.audience}: ${describeTerms(g)}. ` +
    `I further authorize the stated URI to perform the following actions on my behalf: ` +
    `(1) '${LOGIN_NAMESPACE}': '${LOGIN_ABILITY}' for '${g.audience}'.`
  );
}

/** The exact text a master signs; its UTF-8 bytes are `loginPayload`. */
export function loginMessage(g: LoginGrant): string {
  const lines =
    g.master.kind === 'secp256k1' ? [g.site + ETH_HEADER, g.master.address, ''] : [g.site + PASSKEY_HEADER, ''];
  lines.push(loginStatement(g), '', `URI: ${didKey(g.publicKey)}`, 'Version: 1');
  if (g.master.kind === 'secp256k1') lines.push(`Chain ID: ${g.master.chainId}`);
  lines.push(
    `Nonce: ${g.nonce}`,
    `Issued At: ${iso(g.issuedAtMs)}`,
    `Expiration Time: ${iso(g.expiresAtMs)}`,
    `Request ID: ${g.sessionId}`,
    'Resources:',
    `- ${recapResource(g)}`,
  );
  return lines.join('\n');
}

/** What a text says when it is a Keyhold login: its site and audience. */
export interface LoginSummary {
  site: string;
  audience: string;
}

/**
 * Whether `text` is a Keyhold login (a `keyhold/session` ReCap, or the passkey header), and for
 * whom. Lenient on purpose: used to refuse such text outside the login flow, so anything that
 * looks like one counts.
 */
export function recognizeLogin(text: string): LoginSummary | null {
  const first = text.split('\n', 1)[0] ?? '';
  const site = first.endsWith(ETH_HEADER) ? first.slice(0, -ETH_HEADER.length) : first.endsWith(PASSKEY_HEADER) ? first.slice(0, -PASSKEY_HEADER.length) : null;
  const recap = text.split('\n').find((l) => l.startsWith(`- ${RECAP_PREFIX}`));
  let audience: string | null = null;
  if (recap) {
    try {
      const json = JSON.parse(new TextDecoder().decode(base64urlnopad.decode(recap.slice(2 + RECAP_PREFIX.length)))) as { att?: Record<string, Record<string, unknown>> };
      for (const [resource, abilities] of Object.entries(json.att ?? {})) {
        if (abilities && typeof abilities === 'object' && `${LOGIN_NAMESPACE}/${LOGIN_ABILITY}` in abilities) audience = resource;
      }
    } catch {
      // Not a ReCap we can read: judged by its header alone.
    }
  }
  if (audience !== null) return { site: site ?? '', audience };
  if (site !== null && first.endsWith(PASSKEY_HEADER)) return { site, audience: '' };
  return null;
}

/** Decodes the caveats' public key for tests and tools. */
export const caveatPublicKey = (b64: string): Uint8Array => fromBase64(b64, 'publicKey');
