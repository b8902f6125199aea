/**
 * The policy the user tightened in the approval window, by approval id, read when they decide.
 * @module
 */
import type { SessionPolicy } from '../src/protocol/policy.js';

const chosen = new Map<string, SessionPolicy>();

export const choosePolicy = (approvalId: string, policy: SessionPolicy): void => void chosen.set(approvalId, policy);

/** What approval_decide adds: the tightened policy, when the user changed one. */
export const policyChoice = (approvalId: string): { policy?: SessionPolicy } => {
  const p = chosen.get(approvalId);
  return p ? { policy: p } : {};
};
