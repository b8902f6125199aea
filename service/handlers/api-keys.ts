/**
 * The API-key endpoints of `shared/reference/revoke-api-key-endpoint.txt`:
 * `POST /api/v1/createApiKey` registers an Ed25519 API key that a wallet vouches for, and
 * `POST /api/v1/revokeApiKey` removes it. Each body carries the wallet's EIP-191 `personal_sign`
 * `{r, s, v}` over the canonical message of `spec/api-keys.md`; the service recovers the signer
 * with ecrecover and answers 401 when it is not `address`. Revoking needs no X-API-Key (nor the
 * key at all), so the owner can revoke a lost key; only the wallet that created the key may.
 * @module
 */
import { ethereumAddress, parseJsonObject, recoverSecp256k1 } from '../../packages/verify/src/index.js';
import { createMessage, revokeMessage } from '../api-key-messages.js';
import { badRequest, conflict, notFound, unauthorized } from '../errors.js';
import { ok, type Handler } from '../handler.js';
import type { ApiKey } from '../state.js';

const ADDRESS = /^(0x|0X)?[0-9a-fA-F]{40}$/;
const PUBLIC_KEY = /^[0-9a-fA-F]{64}$/;
const WORD = /^(0x)?[0-9a-fA-F]{64}$/;
/** At most this far ahead (the reference does not say; Keyhold's page API allows 365 days). */
const MAX_VALIDITY_MS = 366 * 86_400_000;

function fields(json: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(json)) if (!allowed.includes(key)) throw badRequest('unexpected_field', `member "${key}" is not allowed`);
  for (const key of allowed) if (!(key in json)) throw badRequest('missing_field', `member "${key}" is missing`);
}

function address(v: unknown): string {
  if (typeof v !== 'string' || !ADDRESS.test(v)) throw badRequest('bad_address', 'address must be 40 hex digits, optionally 0x-prefixed');
  return `0x${v.slice(-40).toLowerCase()}`;
}

function publicKey(v: unknown): string {
  if (typeof v !== 'string' || !PUBLIC_KEY.test(v)) throw badRequest('bad_public_key', 'publicKey must be 64 hex digits (a raw Ed25519 key)');
  return v.toLowerCase();
}

function name(v: unknown): string {
  if (typeof v !== 'string' || v.length < 1 || [...v].length > 64 || /\p{Cc}/u.test(v)) {
    throw badRequest('bad_name', 'name must be 1 to 64 characters, no control characters');
  }
  return v;
}

/** A personal_sign signature as these endpoints take it: `{r, s, v}`. */
interface RsvSignature {
  r: Uint8Array;
  s: Uint8Array;
  /** 0 or 1 */
  recovery: number;
}

/**
 * `ecrecover` of an EIP-191 `personal_sign` over `message`: the signer's address (0x + 40
 * lower-case hex digits), or null when nothing recovers (high s included, as everywhere else).
 */
function recoverAddress(message: string, sig: RsvSignature): string | null {
  const rsv = new Uint8Array(65);
  rsv.set(sig.r, 0);
  rsv.set(sig.s, 32);
  rsv[64] = 27 + sig.recovery;
  const key = recoverSecp256k1(new TextEncoder().encode(message), rsv);
  return key === null ? null : ethereumAddress(key);
}

function signature(v: unknown): RsvSignature {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest('bad_signature', 'signature must be {r, s, v}');
  const o: Record<string, unknown> = Object.fromEntries(Object.entries(v));
  for (const key of Object.keys(o)) if (!['r', 's', 'v'].includes(key)) throw badRequest('bad_signature', `signature member "${key}" is not allowed`);
  const word = (x: unknown, k: string) => {
    if (typeof x !== 'string' || !WORD.test(x)) throw badRequest('bad_signature', `signature.${k} must be 32 bytes of hex`);
    return Uint8Array.from(Buffer.from(x.replace(/^0x/, ''), 'hex'));
  };
  const rv = o.v;
  if (rv !== 27 && rv !== 28 && rv !== 0 && rv !== 1) throw badRequest('bad_signature', 'signature.v must be 27 or 28 (or 0 or 1)');
  return { r: word(o.r, 'r'), s: word(o.s, 's'), recovery: rv % 27 };
}

/** @throws ServiceError 401 `signature_mismatch` unless `message` recovers to `owner` */
function requireSigner(message: string, sig: RsvSignature, owner: string): void {
  const signer = recoverAddress(message, sig);
  if (signer !== owner) {
    throw unauthorized('signature_mismatch', 'the signature does not recover to address over the canonical message');
  }
}

export const createApiKey: Handler = (req) => {
  const json = parseJsonObject(req.body);
  fields(json, ['address', 'publicKey', 'name', 'validUntil', 'signature']);
  const owner = address(json.address);
  const key = publicKey(json.publicKey);
  const keyName = name(json.name);
  const validUntil = json.validUntil;
  if (typeof validUntil !== 'number' || !Number.isSafeInteger(validUntil) || validUntil < 0) {
    throw badRequest('bad_valid_until', 'validUntil must be an integer of ms since the Unix epoch');
  }
  const sig = signature(json.signature);
  requireSigner(createMessage({ address: owner, publicKeyHex: key, name: keyName, validUntil }), sig, owner);
  if (validUntil <= req.nowMs) throw badRequest('api_key_already_expired', 'validUntil is not in the future');
  if (validUntil > req.nowMs + MAX_VALIDITY_MS) throw badRequest('bad_valid_until', 'validUntil is more than 366 days ahead');
  if (req.state.apiKeys.has(key)) throw conflict('api_key_exists', 'this public key is already registered');
  const record: ApiKey = { publicKeyHex: key, address: owner, name: keyName, createdAtMs: req.nowMs, validUntilMs: validUntil, revokedAtMs: null };
  req.state.apiKeys.set(key, record);
  return ok({ api_key: key, address: owner, name: keyName, valid_until: validUntil, created_at: req.nowMs, account_index: 0 });
};

export const revokeApiKey: Handler = (req) => {
  const json = parseJsonObject(req.body);
  fields(json, ['address', 'publicKey', 'name', 'signature']);
  const owner = address(json.address);
  const key = publicKey(json.publicKey);
  const keyName = name(json.name);
  requireSigner(revokeMessage({ address: owner, publicKeyHex: key, name: keyName }), signature(json.signature), owner);
  const record = req.state.apiKeys.get(key);
  if (record === undefined) throw notFound('api_key_not_found', 'no API key has this public key');
  if (record.address !== owner) throw unauthorized('not_key_owner', 'only the wallet that created this API key may revoke it');
  if (record.name !== keyName) throw unauthorized('name_mismatch', 'name is not the name the key was created with');
  // Idempotent: a second revoke answers the first one's time.
  record.revokedAtMs ??= req.nowMs;
  return ok({ api_key: key, address: owner, revoked_at: record.revokedAtMs * 1000, account_index: 0 });
};
