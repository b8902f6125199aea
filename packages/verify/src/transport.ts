/**
 * The two transports of a signed request (`spec/signing.md` §6): the JSON envelope
 * (`application/json`) and the binary frame (`application/octet-stream`). Both yield the payload
 * exactly as received, the public key and the signature; passkey envelopes also carry the
 * WebAuthn assertion parts.
 * @module
 */
import { decodeBase64 } from './base64.js';
import { VerifyError, badRequest } from './errors.js';
import { MAX_PAYLOAD_BYTES, SignatureType, parsePayload, type Payload } from './payload.js';

/** The parts of a WebAuthn assertion that a passkey envelope carries. */
export interface PasskeyAssertion {
  authenticatorData: Uint8Array;
  clientDataJson: Uint8Array;
  credentialId: Uint8Array;
}

/** A signed request, decoded but not yet verified. */
export interface SignedRequest {
  payload: Payload;
  /** null only for a passkey envelope that omits `public_key`. */
  publicKey: Uint8Array | null;
  signature: Uint8Array;
  /** Present exactly when the payload's signature_type is 3 (Passkey). */
  assertion: PasskeyAssertion | null;
}

const BASE_FIELDS = ['payload', 'public_key', 'signature'];
const PASSKEY_FIELDS = [...BASE_FIELDS, 'authenticator_data', 'client_data_json', 'credential_id'];

/** The media type of a Content-Type header, lower case, without parameters. */
export const mediaType = (header: string | null | undefined): string => ((header ?? '').split(';')[0] ?? '').trim().toLowerCase();

/**
 * Decodes a signed request from an HTTP body by its Content-Type.
 * @throws VerifyError 415 `unsupported_media_type`; 400 for a malformed envelope, frame or payload
 */
export function parseSignedRequest(contentType: string | null | undefined, body: Uint8Array): SignedRequest {
  const type = mediaType(contentType);
  if (type === 'application/json') return parseEnvelope(parseJsonObject(body));
  if (type === 'application/octet-stream') return parseFrame(body);
  throw new VerifyError(415, 'unsupported_media_type', `content-type must be application/json or application/octet-stream, got '${type}'`);
}

/**
 * Parses a body that must be a UTF-8 JSON object.
 * @throws VerifyError 400 `bad_json`
 */
export function parseJsonObject(raw: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw badRequest('bad_json', 'request body is not valid UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('bad_json', 'request body must be a JSON object');
  return value as Record<string, unknown>;
}

/**
 * Decodes a JSON envelope (`spec/signing.md` §6.1), already parsed as an object.
 * @throws VerifyError 400 `missing_field`, `unexpected_field`, `bad_base64`, payload errors
 */
export function parseEnvelope(json: Record<string, unknown>): SignedRequest {
  if (!('payload' in json)) throw badRequest('missing_field', 'envelope member "payload" is missing');
  const payload = parsePayload(decodeBase64(json.payload, 'payload'));
  const passkey = payload.signatureType === SignatureType.Passkey;
  const allowed = passkey ? PASSKEY_FIELDS : BASE_FIELDS;
  for (const key of Object.keys(json)) {
    if (!allowed.includes(key)) throw badRequest('unexpected_field', `envelope member "${key}" is not allowed for signature_type ${payload.signatureType}`);
  }
  for (const key of passkey ? allowed.filter((k) => k !== 'public_key') : allowed) {
    if (!(key in json)) throw badRequest('missing_field', `envelope member "${key}" is missing`);
  }
  return {
    payload,
    publicKey: 'public_key' in json ? decodeBase64(json.public_key, 'public_key') : null,
    signature: decodeBase64(json.signature, 'signature'),
    assertion: passkey
      ? {
          authenticatorData: decodeBase64(json.authenticator_data, 'authenticator_data'),
          clientDataJson: decodeBase64(json.client_data_json, 'client_data_json'),
          credentialId: decodeBase64(json.credential_id, 'credential_id'),
        }
      : null,
  };
}

/**
 * Decodes a binary frame (`spec/signing.md` §6.2): exact lengths, no trailing bytes.
 * @throws VerifyError 400 `bad_frame`, `passkey_requires_json`, payload errors
 */
export function parseFrame(input: Uint8Array): SignedRequest {
  // A plain view, so that the parts are Uint8Arrays whatever subclass (Buffer) came in.
  const raw = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const frameError = (why: string) => badRequest('bad_frame', `binary frame ${why}`);
  if (raw.length < 4) throw frameError('is shorter than its 4-byte payload_length');
  const p = new DataView(raw.buffer, raw.byteOffset, raw.length).getUint32(0, true);
  if (p > MAX_PAYLOAD_BYTES) throw frameError(`payload_length ${p} exceeds ${MAX_PAYLOAD_BYTES}`);
  let at = 4 + p;
  if (raw.length < at + 1) throw frameError('is truncated in the payload');
  const k = raw[at]!;
  const publicKey = raw.slice(at + 1, at + 1 + k);
  at += 1 + k;
  if (raw.length < at + 1) throw frameError('is truncated in the public key');
  const s = raw[at]!;
  const signature = raw.slice(at + 1, at + 1 + s);
  at += 1 + s;
  if (raw.length < at) throw frameError('is truncated in the signature');
  if (raw.length > at) throw frameError(`has ${raw.length - at} trailing bytes`);
  const payload = parsePayload(raw.slice(4, 4 + p));
  if (payload.signatureType === SignatureType.Passkey) {
    throw badRequest('passkey_requires_json', 'passkey (signature_type 3) requests travel only in the JSON envelope');
  }
  return { payload, publicKey, signature, assertion: null };
}
