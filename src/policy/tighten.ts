/**
 * The user's edits to a requested policy in the approval window: they may tighten it, never
 * loosen it. Lower rate limits, more confirm types, lower caps, and limits the page left out
 * are tighter; removing or raising anything the page asked for is refused.
 * @module
 */
import { invalidParams } from '../protocol/errors.js';
import type { SessionPolicy } from '../protocol/policy.js';
import { parsePolicy } from '../protocol/policy-params.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The policy to grant: `chosen` when it is valid and no looser than `requested`.
 * @throws ProviderRpcError -32602 naming what would loosen.
 */
export function tightenPolicy(requested: SessionPolicy | undefined, chosen: unknown, granted: number[] | null): SessionPolicy {
  const next = parsePolicy(chosen, granted);
  const asked = requested ?? {};
  for (const key of ['maxPerMinute', 'maxPerHour'] as const) {
    const a = asked[key];
    const b = next[key];
    if (a !== undefined && (b === undefined || b > a)) throw invalidParams(`policy.${key} may only be lowered (the site asked for ${a}).`);
  }
  for (const t of asked.confirmTypes ?? []) {
    if (!next.confirmTypes?.includes(t)) throw invalidParams(`policy.confirmTypes must keep request type ${t}.`);
  }
  for (const [type, schema] of Object.entries(asked.rules ?? {})) {
    if (!next.rules || !same(next.rules[type], schema)) throw invalidParams(`policy.rules.${type} must stay as the site asked.`);
  }
  for (const type of Object.keys(next.rules ?? {})) {
    if (!asked.rules || !(type in asked.rules)) throw invalidParams(`policy.rules.${type} was not asked for: rules cannot be added here.`);
  }
  const nextCaps = next.caps ?? [];
  const askedCaps = asked.caps ?? [];
  if (nextCaps.length !== askedCaps.length) throw invalidParams('policy.caps must keep the caps the site asked for, one for one.');
  askedCaps.forEach((c, i) => {
    const n = nextCaps[i]!;
    if (n.requestType !== c.requestType || n.pointer !== c.pointer) throw invalidParams(`policy.caps[${i}] must cap the same field as the site asked.`);
    if (n.max > c.max) throw invalidParams(`policy.caps[${i}].max may only be lowered (the site asked for ${c.max}).`);
  });
  return next;
}
