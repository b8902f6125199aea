/**
 * Validation of a descriptor, from a page (`keyhold_createSession`'s `descriptor`) or from a
 * service's `/.well-known/keyhold.json`: -32602 naming the field. Each `schema` passes the same
 * bounded subset as a policy rule (`src/policy/schema-guard.ts`).
 * @module
 */
import { checkSchema } from '../policy/schema-guard.js';
import { parsePointer } from '../policy/json-pointer.js';
import { aobject, aoneOf, astring } from './assert.js';
import { invalidParams } from './errors.js';
import { RISKS, type RequestTypeDescriptor, type ServiceDescriptor } from './descriptor.js';

export const MAX_DESCRIPTOR_TYPES = 256;
export const MAX_NAME_CHARS = 64;
export const MAX_SUMMARY_CHARS = 200;
/** A descriptor as served: larger is refused before it is parsed. */
export const MAX_DESCRIPTOR_BYTES = 256 * 1024;
const U16_KEY = /^(0|[1-9]\d{0,4})$/;
const BODY_KINDS = ['json', 'binary'] as const;

/** Names are shown to the user: no control or bidi-override characters. */
function name(value: unknown, field: string): string {
  const text = astring(value, field, MAX_NAME_CHARS);
  if (text.trim() === '' || /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(text)) throw invalidParams(`${field} must be a non-empty name without control characters.`);
  return text;
}

/** @throws ProviderRpcError -32602 naming the field under `field`. */
export function parseDescriptor(value: unknown, field = 'descriptor'): ServiceDescriptor {
  const o = aobject(value, field, ['name', 'requestTypes']);
  const types = aobject(o.requestTypes, `${field}.requestTypes`, Object.keys(o.requestTypes ?? {}));
  const keys = Object.keys(types);
  if (keys.length > MAX_DESCRIPTOR_TYPES) throw invalidParams(`${field}.requestTypes must hold at most ${MAX_DESCRIPTOR_TYPES} request types.`);
  const out: ServiceDescriptor = { name: name(o.name, `${field}.name`), requestTypes: {} };
  for (const key of keys) {
    if (!U16_KEY.test(key) || Number(key) > 0xffff) throw invalidParams(`${field}.requestTypes has a key "${key.slice(0, 40)}" that is not a request type (0 to 65535).`);
    out.requestTypes[key] = parseType(types[key], `${field}.requestTypes.${key}`);
  }
  return out;
}

function parseType(value: unknown, field: string): RequestTypeDescriptor {
  const o = aobject(value, field, ['name', 'risk', 'body', 'schema', 'summary']);
  const t: RequestTypeDescriptor = { name: name(o.name, `${field}.name`), risk: aoneOf(o.risk, `${field}.risk`, RISKS) };
  if (o.body !== undefined) t.body = aoneOf(o.body, `${field}.body`, BODY_KINDS);
  if (o.schema !== undefined) {
    if (t.body === 'binary') throw invalidParams(`${field}.schema is for JSON bodies; this type's body is binary.`);
    t.schema = checkSchema(o.schema, `${field}.schema`);
  }
  if (o.summary !== undefined) {
    const summary = astring(o.summary, `${field}.summary`, MAX_SUMMARY_CHARS);
    if (/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(summary)) throw invalidParams(`${field}.summary must not contain control characters.`);
    for (const [, pointer = ''] of summary.matchAll(/\{([^}]*)\}/g)) {
      if (parsePointer(pointer) === null || pointer === '') throw invalidParams(`${field}.summary has a placeholder "{${pointer.slice(0, 40)}}" that is not a JSON Pointer such as {/qty}.`);
    }
    t.summary = summary;
  }
  return t;
}
