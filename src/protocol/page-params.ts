/**
 * Validators for the page API: raw EIP-1193 params in, typed params out. This is where page
 * input enters; code behind it trusts the types.
 * @module
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { fromBase64 } from '../encoding/base64.js';
import { isUuidString } from '../wire/uuidv7.js';
import { MAX_BODY_BYTES } from '../wire/payload.js';
import { walletParamParsers } from './wallet-params.js';
import { MAX_URL_CHARS, parseServiceOrigin } from './service-origin.js';

export { parseServiceOrigin };
import { parsePolicy } from './policy-params.js';
import { parseDescriptor } from './descriptor-params.js';
import { invalidParams } from './errors.js';
import { parseAddress } from './address.js';
import { aint, aobject, aoneOf, areadable, asingleParam, astring, anoParams, type Plain } from './assert.js';
import {
  MASTER_KINDS,
  ROLES,
  type CompleteSessionParams,
  type CreateSessionParams,
  type LoginProof,
  type SendParams,
  type ServiceParams,
  type PageMethod,
  type PageMethods,
  type SessionIdParams,
  type SignRequestParams,
  type SignEncoding,
} from './page-api.js';

export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 604_800;
export const MAX_LABEL_CHARS = 64;
export const MAX_REQUEST_TYPES = 1024;
const U16_MAX = 0xffff;
const INT32_MAX = 0x7fff_ffff;
const ENCODINGS: readonly SignEncoding[] = ['json', 'binary', 'bytes'];

const optional = <T>(o: Plain, key: string, parse: (v: unknown) => T, fallback: T): T =>
  o[key] === undefined ? fallback : parse(o[key]);

function sessionId(value: unknown): string {
  if (!isUuidString(value)) throw invalidParams('sessionId must be a UUID string.');
  return value.toLowerCase();
}

function requestTypes(value: unknown): number[] | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw invalidParams('requestTypes must be an array of integers from 0 to 65535.');
  if (value.length === 0) throw invalidParams('requestTypes must not be empty; omit it to allow any request type.');
  if (value.length > MAX_REQUEST_TYPES) throw invalidParams(`requestTypes must hold at most ${MAX_REQUEST_TYPES} entries.`);
  // Array.from visits holes (map skips them), so a sparse array cannot smuggle in `undefined`.
  const types = Array.from<unknown, number>(value, (t, i) => aint(t, `requestTypes[${i}]`, 0, U16_MAX));
  return [...new Set(types)].sort((a, b) => a - b);
}

function label(value: unknown): string | null {
  if (value === null) return null;
  return areadable(astring(value, 'label', MAX_LABEL_CHARS), 'label');
}

/** The loopback hosts plain http may use: exactly those the worker's CSP `connect-src` allows. */

/**
 * An http(s) origin. Plain http only for loopback hosts: a device key must never cross a
 * network in the clear.
 */
function serviceParams(value: unknown): ServiceParams {
  const o = aobject(value, 'service', ['baseUrl', 'master', 'address']);
  const parsed: ServiceParams = {
    baseUrl: parseServiceOrigin(o.baseUrl, 'service.baseUrl'),
    master: optional(o, 'master', (v) => aoneOf(v, 'service.master', MASTER_KINDS), 'secp256k1'),
  };
  if (o.address !== undefined) {
    if (parsed.master !== 'secp256k1') throw invalidParams('service.address is only for a secp256k1 master.');
    parsed.address = parseAddress(o.address, 'service.address');
  }
  return parsed;
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseCreateSession(params: unknown): CreateSessionParams {
  const o = asingleParam(params, 'keyhold_createSession', ['ttlSeconds', 'role', 'subaccountIndex', 'requestTypes', 'label', 'service', 'requiresUnlock', 'policy', 'descriptor']);
  const parsed: CreateSessionParams = {
    ttlSeconds: aint(o.ttlSeconds, 'ttlSeconds', MIN_TTL_SECONDS, MAX_TTL_SECONDS),
    role: optional(o, 'role', (v) => aoneOf(v, 'role', ROLES), 'TRADING_ONLY'),
    subaccountIndex: optional(o, 'subaccountIndex', (v) => (v === null ? null : aint(v, 'subaccountIndex', 0, INT32_MAX)), null),
    requestTypes: optional(o, 'requestTypes', requestTypes, null),
    label: optional(o, 'label', label, null),
  };
  if (o.service !== undefined) parsed.service = serviceParams(o.service);
  if (o.requiresUnlock !== undefined) {
    if (typeof o.requiresUnlock !== 'boolean') throw invalidParams('requiresUnlock must be a boolean.');
    if (o.requiresUnlock) parsed.requiresUnlock = true;
  }
  if (o.policy !== undefined) parsed.policy = parsePolicy(o.policy, parsed.requestTypes);
  // A page's descriptor is shown as the site's word, never as the service's.
  if (o.descriptor !== undefined) parsed.descriptor = { source: 'site', descriptor: parseDescriptor(o.descriptor) };
  return parsed;
}

/** Standard base64 of at most `maxBytes` decoded bytes. */
/**
 * A body given as standard base64 or, as an addition, as a `Uint8Array` (structured clone
 * carries it from the page without base64; a copy, so the page cannot change it meanwhile).
 */
function bodyField(value: unknown, field: string, maxBytes: number): Uint8Array {
  if (!(value instanceof Uint8Array)) return base64Field(value, field, maxBytes);
  if (value.length > maxBytes) throw invalidParams(`${field} must be at most ${maxBytes} bytes.`);
  return value.slice();
}

function base64Field(value: unknown, field: string, maxBytes: number): Uint8Array {
  if (typeof value !== 'string') throw invalidParams(`${field} must be a standard base64 string.`);
  if (value.length > Math.ceil(maxBytes / 3) * 4) throw invalidParams(`${field} must decode to at most ${maxBytes} bytes.`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(value, field);
  } catch (err) {
    throw invalidParams(`${field} must be standard base64 (${err instanceof Error ? err.message : 'malformed'})`);
  }
  // The length check above lets through up to two bytes more than the limit.
  if (bytes.length > maxBytes) throw invalidParams(`${field} must decode to at most ${maxBytes} bytes.`);
  return bytes;
}

function secp256k1Signature(value: unknown): Uint8Array {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(value)) {
    throw invalidParams('signature must be the 0x-hex 65-byte signature that personal_sign returns.');
  }
  const bytes = hexToBytes(value.slice(2));
  // Some wallets answer v as 0|1 rather than 27|28: the same signature, normalised.
  if (bytes[64] === 0 || bytes[64] === 1) bytes[64] += 27;
  if (bytes[64] !== 27 && bytes[64] !== 28) throw invalidParams('signature must end in a recovery byte v of 27 or 28.');
  return bytes;
}

function passkeyProof(value: unknown): LoginProof {
  const o = aobject(value, 'passkey', ['credentialId', 'authenticatorData', 'clientDataJSON', 'signature']);
  return {
    kind: 'passkey',
    credentialId: base64Field(o.credentialId, 'passkey.credentialId', 1023),
    authenticatorData: base64Field(o.authenticatorData, 'passkey.authenticatorData', 4096),
    clientDataJSON: base64Field(o.clientDataJSON, 'passkey.clientDataJSON', 8192),
    signature: base64Field(o.signature, 'passkey.signature', 512),
  };
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseCompleteSession(params: unknown): CompleteSessionParams {
  const o = asingleParam(params, 'keyhold_completeSession', ['sessionId', 'signature', 'passkey']);
  const id = sessionId(o.sessionId);
  if ((o.signature === undefined) === (o.passkey === undefined)) {
    throw invalidParams('keyhold_completeSession takes exactly one of signature or passkey.');
  }
  const proof: LoginProof = o.signature !== undefined ? { kind: 'secp256k1', signature: secp256k1Signature(o.signature) } : passkeyProof(o.passkey);
  return { sessionId: id, proof };
}

function path(value: unknown): string {
  const text = astring(value, 'path', MAX_URL_CHARS);
  // One leading slash: "//host" would name another origin. No spaces, controls or fragments.
  if (!/^\/(?!\/)[^\s#\\]*$/.test(text)) throw invalidParams('path must start with a single "/" and hold no spaces, "#" or "\\".');
  return text;
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseSend(params: unknown): SendParams {
  const o = asingleParam(params, 'keyhold_send', ['sessionId', 'path', 'requestType', 'body']);
  return {
    sessionId: sessionId(o.sessionId),
    path: path(o.path),
    requestType: aint(o.requestType, 'requestType', 0, U16_MAX),
    body: base64Field(o.body, 'body', MAX_BODY_BYTES),
  };
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseSignRequest(params: unknown): SignRequestParams {
  const o = asingleParam(params, 'keyhold_signRequest', ['sessionId', 'requestType', 'body', 'encoding']);
  const id = sessionId(o.sessionId);
  const requestType = aint(o.requestType, 'requestType', 0, U16_MAX);
  const body = bodyField(o.body, 'body', MAX_BODY_BYTES);
  return { sessionId: id, requestType, body, encoding: optional(o, 'encoding', (v) => aoneOf(v, 'encoding', ENCODINGS), 'json') };
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseSessionId(params: unknown, method: string): SessionIdParams {
  const o = asingleParam(params, method, ['sessionId']);
  return { sessionId: sessionId(o.sessionId) };
}

type Parsers = { [M in PageMethod]: (params: unknown) => PageMethods[M]['params'] };

/** One parser per page method. A method not in this table is unsupported (4200). */
export const pageParamParsers: Parsers = {
  keyhold_createSession: parseCreateSession,
  keyhold_listSessions: (p) => anoParams(p, 'keyhold_listSessions'),
  keyhold_signRequest: parseSignRequest,
  keyhold_revokeSession: (p) => parseSessionId(p, 'keyhold_revokeSession'),
  keyhold_completeSession: parseCompleteSession,
  keyhold_send: parseSend,
  ...walletParamParsers,
};

export const isPageMethod = (method: string): method is PageMethod =>
  Object.prototype.hasOwnProperty.call(pageParamParsers, method);
