/**
 * Validators for the page API: raw EIP-1193 params in, typed params out. This is where page
 * input enters; code behind it trusts the types.
 * @module
 */
import { fromBase64 } from '../encoding/base64.js';
import { isUuidString } from '../wire/uuidv7.js';
import { MAX_BODY_BYTES } from '../wire/payload.js';
import { invalidParams } from './errors.js';
import { aint, aoneOf, asingleParam, astring, anoParams, type Plain } from './assert.js';
import {
  ROLES,
  type CreateSessionParams,
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
// Base64 of MAX_BODY_BYTES is at most this long; longer strings are refused before decoding.
const MAX_BODY_BASE64 = Math.ceil(MAX_BODY_BYTES / 3) * 4;
const ENCODINGS: readonly SignEncoding[] = ['json', 'binary'];

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
  const types = Array.from(value as unknown[], (t, i) => aint(t, `requestTypes[${i}]`, 0, U16_MAX));
  return [...new Set(types)].sort((a, b) => a - b);
}

function label(value: unknown): string | null {
  if (value === null) return null;
  const text = astring(value, 'label', MAX_LABEL_CHARS);
  // Control and bidi-override characters could make a label lie about what it says.
  if (/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(text)) throw invalidParams('label must not contain control characters.');
  return text;
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseCreateSession(params: unknown): CreateSessionParams {
  const o = asingleParam(params, 'keyhold_createSession', ['ttlSeconds', 'role', 'subaccountIndex', 'requestTypes', 'label']);
  return {
    ttlSeconds: aint(o.ttlSeconds, 'ttlSeconds', MIN_TTL_SECONDS, MAX_TTL_SECONDS),
    role: optional(o, 'role', (v) => aoneOf(v, 'role', ROLES), 'TRADING_ONLY'),
    subaccountIndex: optional(o, 'subaccountIndex', (v) => (v === null ? null : aint(v, 'subaccountIndex', 0, INT32_MAX)), null),
    requestTypes: optional(o, 'requestTypes', requestTypes, null),
    label: optional(o, 'label', label, null),
  };
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseSignRequest(params: unknown): SignRequestParams {
  const o = asingleParam(params, 'keyhold_signRequest', ['sessionId', 'requestType', 'body', 'encoding']);
  const id = sessionId(o.sessionId);
  const requestType = aint(o.requestType, 'requestType', 0, U16_MAX);
  if (typeof o.body !== 'string') throw invalidParams('body must be a standard base64 string.');
  if (o.body.length > MAX_BODY_BASE64) throw invalidParams(`body must decode to at most ${MAX_BODY_BYTES} bytes.`);
  let body: Uint8Array;
  try {
    body = fromBase64(o.body, 'body');
  } catch (err) {
    throw invalidParams(`body must be standard base64 (${(err as Error).message})`);
  }
  if (body.length > MAX_BODY_BYTES) throw invalidParams(`body must decode to at most ${MAX_BODY_BYTES} bytes.`);
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
};

export const isPageMethod = (method: string): method is PageMethod =>
  Object.prototype.hasOwnProperty.call(pageParamParsers, method);
