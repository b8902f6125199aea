/**
 * What the popup shows of a session's policy: paused or not, the capped sums used, the names
 * and risk its descriptor gives its request types.
 * @module
 */
import type { SessionView } from '../../src/protocol/extension-rpc.js';
import type { SessionRecord } from '../db.js';
import type { SessionPolicyRuntime } from './session-policy.js';
import type { PolicyStateRecord } from './state-store.js';

export function withPolicyView(view: SessionView, record: SessionRecord, live: SessionPolicyRuntime | undefined, stored: PolicyStateRecord | undefined): SessionView {
  const paused = live ? live.paused : stored?.paused;
  if (paused) view.paused = { ...paused };
  if (record.policy?.caps) view.capSums = live ? live.sums() : record.policy.caps.map((_, i) => stored?.sums[i] ?? 0);
  if (record.descriptor) {
    const d = record.descriptor;
    view.descriptor = {
      source: d.source,
      name: d.descriptor.name,
      requestTypes: Object.fromEntries(Object.entries(d.descriptor.requestTypes).map(([k, t]) => [k, { name: t.name, risk: t.risk }])),
    };
  }
  return view;
}
