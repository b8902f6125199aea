/**
 * Validation of a session `policy` from a page: -32602 naming the field inside `policy`
 * (`policy.maxPerMinute`, `policy.rules.1/properties/qty/pattern`, …). Nothing is defaulted
 * here: the approval window may only tighten what comes out.
 * @module
 */
import { parsePointer } from '../policy/json-pointer.js';
import { checkSchema } from '../policy/schema-guard.js';
import { aint, aobject } from './assert.js';
import { invalidParams } from './errors.js';
import type { PolicyCap, SessionPolicy } from './policy.js';

const U16_MAX = 0xffff;
/** Signatures a minute / an hour: the windows keep one timestamp per signature in memory. */
export const MAX_PER_MINUTE = 10_000;
export const MAX_PER_HOUR = 100_000;
export const MAX_POLICY_RULES = 64;
export const MAX_POLICY_CAPS = 16;
export const MAX_CONFIRM_TYPES = 1024;
const MAX_POINTER_CHARS = 256;
/** The largest cap: beyond 2^53 a sum of JSON numbers stops being exact. */
export const MAX_CAP = Number.MAX_SAFE_INTEGER;
const U16_KEY = /^(0|[1-9]\d{0,4})$/;

const POLICY_FIELDS = ['maxPerMinute', 'maxPerHour', 'confirmTypes', 'rules', 'caps'];

/** `granted`: the session's request types (null = any): a policy may not name others. */
export function parsePolicy(value: unknown, granted: number[] | null): SessionPolicy {
  const o = aobject(value, 'policy', POLICY_FIELDS);
  const policy: SessionPolicy = {};
  const grantedType = (t: number, field: string) => {
    if (granted !== null && !granted.includes(t)) throw invalidParams(`${field} names request type ${t}, which the session is not granted (requestTypes).`);
  };
  if (o.maxPerMinute !== undefined) policy.maxPerMinute = aint(o.maxPerMinute, 'policy.maxPerMinute', 1, MAX_PER_MINUTE);
  if (o.maxPerHour !== undefined) policy.maxPerHour = aint(o.maxPerHour, 'policy.maxPerHour', 1, MAX_PER_HOUR);
  if (o.confirmTypes !== undefined) {
    const v = o.confirmTypes;
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_CONFIRM_TYPES) {
      throw invalidParams(`policy.confirmTypes must be a non-empty array of at most ${MAX_CONFIRM_TYPES} integers from 0 to 65535.`);
    }
    const types = Array.from<unknown, number>(v, (t, i) => aint(t, `policy.confirmTypes[${i}]`, 0, U16_MAX));
    types.forEach((t, i) => grantedType(t, `policy.confirmTypes[${i}]`));
    policy.confirmTypes = [...new Set(types)].sort((a, b) => a - b);
  }
  if (o.rules !== undefined) {
    const rules = aobject(o.rules, 'policy.rules', Object.keys(o.rules ?? {}));
    const keys = Object.keys(rules);
    if (keys.length === 0 || keys.length > MAX_POLICY_RULES) throw invalidParams(`policy.rules must hold 1 to ${MAX_POLICY_RULES} rules.`);
    policy.rules = {};
    for (const key of keys) {
      if (!U16_KEY.test(key) || Number(key) > U16_MAX) throw invalidParams(`policy.rules has a key "${key.slice(0, 40)}" that is not a request type (a decimal integer from 0 to 65535).`);
      grantedType(Number(key), `policy.rules.${key}`);
      policy.rules[key] = checkSchema(rules[key], `policy.rules.${key}`);
    }
  }
  if (o.caps !== undefined) {
    const v = o.caps;
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_POLICY_CAPS) throw invalidParams(`policy.caps must be a non-empty array of at most ${MAX_POLICY_CAPS} caps.`);
    policy.caps = Array.from(v, (c: unknown, i) => parseCap(c, `policy.caps[${i}]`, grantedType));
  }
  return policy;
}

function parseCap(value: unknown, field: string, grantedType: (t: number, field: string) => void): PolicyCap {
  const o = aobject(value, field, ['requestType', 'pointer', 'max']);
  const requestType = aint(o.requestType, `${field}.requestType`, 0, U16_MAX);
  grantedType(requestType, `${field}.requestType`);
  if (typeof o.pointer !== 'string' || o.pointer.length > MAX_POINTER_CHARS || parsePointer(o.pointer) === null) {
    throw invalidParams(`${field}.pointer must be a JSON Pointer such as "/qty" (at most ${MAX_POINTER_CHARS} characters).`);
  }
  if (typeof o.max !== 'number' || !Number.isFinite(o.max) || o.max < 0 || o.max > MAX_CAP) {
    throw invalidParams(`${field}.max must be a finite number from 0 to ${MAX_CAP}.`);
  }
  return { requestType, pointer: o.pointer, max: o.max };
}
