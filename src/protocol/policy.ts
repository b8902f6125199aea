/**
 * Session policies: what a session may sign beyond its request types, enforced by the worker
 * before it signs (`background/policy/`). The shapes here are the page API's.
 * @module
 */

/** A running sum of one numeric field of one request type, over the session's life. */
export interface PolicyCap {
  requestType: number;
  /** A JSON Pointer (RFC 6901) into the JSON body. */
  pointer: string;
  /** The sum may reach this and no more. */
  max: number;
}

/** `policy` of `keyhold_createSession`, and of `SessionInfo` as granted. */
export interface SessionPolicy {
  /** Signatures in any sliding 60 s. */
  maxPerMinute?: number;
  /** Signatures in any sliding 3600 s. */
  maxPerHour?: number;
  /** Request types each signature of which waits for the user's click. Sorted, no duplicates. */
  confirmTypes?: number[];
  /** request type (decimal) → a JSON Schema 2020-12 its JSON body must satisfy. */
  rules?: Record<string, unknown>;
  caps?: PolicyCap[];
}

/**
 * The names a refusal gives in `data.policy`. When several refuse, the first in this order is
 * named.
 */
export const POLICY_RULE_ORDER = ['paused', 'maxPerMinute', 'maxPerHour', 'rules', 'caps'] as const;
export type PolicyRuleName = (typeof POLICY_RULE_ORDER)[number];
