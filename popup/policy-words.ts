/**
 * A policy in plain words, one line per rule, for the approval window and the session cards:
 * "at most 5 signatures a minute", "qty at most 10", "at most 25 qty in total". The words come
 * from `_locales/` (`popup/i18n.ts`); field names and values are the service's own.
 * @module
 */
import type { ServiceDescriptor } from '../src/protocol/descriptor.js';
import type { SessionPolicy } from '../src/protocol/policy.js';
import { parsePointer } from '../src/policy/json-pointer.js';
import { t, tCount } from './i18n.js';

/** "type 1" or the descriptor's name for it: "PlaceOrder (type 1)". */
export function typeName(type: number, descriptor?: ServiceDescriptor): string {
  const d = descriptor?.requestTypes[String(type)];
  return d ? t('requestTypeNamed', d.name, type) : t('requestTypeNumbered', type);
}

/** The field a pointer names, in words: "/qty" → "qty", "/legs/0/qty" → "legs 0 qty". */
export function fieldName(pointer: string): string {
  const tokens = parsePointer(pointer) ?? [pointer];
  return tokens.length === 0 ? t('ruleFieldBody') : tokens.join(' ');
}

type Schema = Record<string, unknown>;
const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The simple parts of a rule in words ("qty at most 10", "side is one of buy, sell"); the rest as "…and more". */
export function ruleWords(schema: unknown): string[] {
  if (schema === false) return [t('ruleNothing')];
  if (!isObj(schema)) return [t('ruleAnyBody')];
  const out: string[] = [];
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  for (const [name, s] of Object.entries(props)) {
    if (!isObj(s)) continue;
    if (s.maximum !== undefined) out.push(t('ruleAtMost', name, String(s.maximum)));
    if (s.exclusiveMaximum !== undefined) out.push(t('ruleBelow', name, String(s.exclusiveMaximum)));
    if (s.minimum !== undefined) out.push(t('ruleAtLeast', name, String(s.minimum)));
    if (s.exclusiveMinimum !== undefined) out.push(t('ruleAbove', name, String(s.exclusiveMinimum)));
    if (Array.isArray(s.enum)) out.push(t('ruleOneOf', name, (s.enum as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')));
    if (s.const !== undefined) out.push(t('ruleIs', name, typeof s.const === 'string' ? s.const : JSON.stringify(s.const)));
    if (s.maxLength !== undefined) out.push(t('ruleMaxLength', name, String(s.maxLength)));
  }
  if (required.length) out.push(t('ruleMustInclude', required.map(String).join(', ')));
  if (schema.additionalProperties === false) out.push(t('ruleNoOtherFields'));
  const known = new Set(['properties', 'required', 'additionalProperties', 'type', '$schema', 'title', 'description']);
  const simpleProps = Object.values(props).every((s) => !isObj(s) || Object.keys(s).every((k) => ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'enum', 'const', 'maxLength', 'type', 'title', 'description'].includes(k)));
  if (!simpleProps || Object.keys(schema).some((k) => !known.has(k))) out.push(t('ruleFurther'));
  return out.length ? out : [t('ruleJsonBody')];
}

/** Each rule of `policy` in words, in the order the worker checks them. */
export function policyWords(policy: SessionPolicy, descriptor?: ServiceDescriptor): string[] {
  const out: string[] = [];
  if (policy.maxPerMinute !== undefined) out.push(tCount(policy.maxPerMinute, 'policyMaxPerMinute_one', 'policyMaxPerMinute_other'));
  if (policy.maxPerHour !== undefined) out.push(tCount(policy.maxPerHour, 'policyMaxPerHour_one', 'policyMaxPerHour_other'));
  for (const [type, schema] of Object.entries(policy.rules ?? {})) out.push(t('policyRuleLine', typeName(Number(type), descriptor), ruleWords(schema).join('; ')));
  for (const c of policy.caps ?? []) out.push(t('policyCapLine', typeName(c.requestType, descriptor), c.max, fieldName(c.pointer)));
  for (const type of policy.confirmTypes ?? []) out.push(t('policyConfirmLine', typeName(type, descriptor)));
  return out;
}
