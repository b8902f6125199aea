/**
 * A policy in plain words, one line per rule, for the approval window and the session cards:
 * "at most 5 signatures a minute", "qty at most 10", "at most 25 qty in total".
 * @module
 */
import type { ServiceDescriptor } from '../protocol/descriptor.js';
import type { SessionPolicy } from '../protocol/policy.js';
import { parsePointer } from './json-pointer.js';

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "type 1" or the descriptor's name for it: "PlaceOrder (type 1)". */
export function typeName(type: number, descriptor?: ServiceDescriptor): string {
  const d = descriptor?.requestTypes[String(type)];
  return d ? `${d.name} (type ${type})` : `type ${type}`;
}

/** The field a pointer names, in words: "/qty" → "qty", "/legs/0/qty" → "legs 0 qty". */
export function fieldName(pointer: string): string {
  const tokens = parsePointer(pointer) ?? [pointer];
  return tokens.length === 0 ? 'the body' : tokens.join(' ');
}

type Schema = Record<string, unknown>;
const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The simple parts of a rule in words ("qty at most 10", "side is one of buy, sell"); the rest as "…and more". */
export function ruleWords(schema: unknown): string[] {
  if (schema === false) return ['nothing may be signed'];
  if (!isObj(schema)) return ['any body'];
  const out: string[] = [];
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  for (const [name, s] of Object.entries(props)) {
    if (!isObj(s)) continue;
    if (s.maximum !== undefined) out.push(`${name} at most ${String(s.maximum)}`);
    if (s.exclusiveMaximum !== undefined) out.push(`${name} below ${String(s.exclusiveMaximum)}`);
    if (s.minimum !== undefined) out.push(`${name} at least ${String(s.minimum)}`);
    if (s.exclusiveMinimum !== undefined) out.push(`${name} above ${String(s.exclusiveMinimum)}`);
    if (Array.isArray(s.enum)) out.push(`${name} is one of ${(s.enum as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`);
    if (s.const !== undefined) out.push(`${name} is ${typeof s.const === 'string' ? s.const : JSON.stringify(s.const)}`);
    if (s.maxLength !== undefined) out.push(`${name} at most ${String(s.maxLength)} characters`);
  }
  if (required.length) out.push(`must include ${required.map(String).join(', ')}`);
  if (schema.additionalProperties === false) out.push('no other fields');
  const known = new Set(['properties', 'required', 'additionalProperties', 'type', '$schema', 'title', 'description']);
  const simpleProps = Object.values(props).every((s) => !isObj(s) || Object.keys(s).every((k) => ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'enum', 'const', 'maxLength', 'type', 'title', 'description'].includes(k)));
  if (!simpleProps || Object.keys(schema).some((k) => !known.has(k))) out.push('and further conditions (see the rule)');
  return out.length ? out : ['a JSON body'];
}

/** Each rule of `policy` in words, in the order the worker checks them. */
export function policyWords(policy: SessionPolicy, descriptor?: ServiceDescriptor): string[] {
  const out: string[] = [];
  if (policy.maxPerMinute !== undefined) out.push(`at most ${n(policy.maxPerMinute, 'signature')} a minute`);
  if (policy.maxPerHour !== undefined) out.push(`at most ${n(policy.maxPerHour, 'signature')} an hour`);
  for (const [type, schema] of Object.entries(policy.rules ?? {})) out.push(`${typeName(Number(type), descriptor)}: ${ruleWords(schema).join('; ')}`);
  for (const c of policy.caps ?? []) out.push(`${typeName(c.requestType, descriptor)}: at most ${c.max} ${fieldName(c.pointer)} in total`);
  for (const t of policy.confirmTypes ?? []) out.push(`${typeName(t, descriptor)}: each signature waits for your click`);
  return out;
}
