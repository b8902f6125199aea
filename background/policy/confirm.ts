/**
 * `confirmTypes`: a signature of such a type waits for the user's click in the approval window,
 * which shows the decoded body. Reject answers 4001; a pause while it waits answers `paused`.
 * @module
 */
import { userRejected } from '../../src/protocol/errors.js';
import type { ConfirmSignApproval } from '../../src/protocol/extension-rpc.js';
import { previewBody, summarize } from '../../src/policy/body-preview.js';
import type { SessionRecord } from '../db.js';
import type { WorkerDeps } from '../deps.js';
import type { SessionUse } from '../sessions/use.js';
import { askUser } from '../approvals/await.js';

export function confirmParams(record: SessionRecord, use: SessionUse): ConfirmSignApproval {
  const type = record.descriptor?.descriptor.requestTypes[String(use.requestType)];
  const params: ConfirmSignApproval = { sessionId: record.id, label: record.label, requestType: use.requestType, body: previewBody(use.body) };
  if (type) {
    params.typeName = type.name;
    params.risk = type.risk;
    params.describedBy = record.descriptor!.source;
  }
  const summary = summarize(type, use.body);
  if (summary !== undefined) params.summary = summary;
  return params;
}

/**
 * Resolves when the user approves; otherwise throws 4001, or what `onPaused` throws when the
 * session was paused meanwhile.
 */
export async function confirmWithUser(
  deps: Pick<WorkerDeps, 'approvals' | 'showApprovals' | 'tellExtensionPages' | 'policies'>,
  record: SessionRecord,
  use: SessionUse,
  onPaused: () => Promise<never>,
): Promise<void> {
  const decided = await askUser(deps, {
    origin: use.origin,
    // Each signature is its own confirmation: never folded into another one.
    dedupeKey: `${use.origin} confirm ${crypto.randomUUID()}`,
    kind: 'confirmSign',
    params: confirmParams(record, use),
  });
  if (decided.status === 'approved') return;
  if (deps.policies.peek(record.id)?.paused) return onPaused();
  throw userRejected('The user rejected the signature.');
}

/** Pausing refuses the session's confirmations that are still waiting. */
export async function rejectWaitingConfirmations(deps: Pick<WorkerDeps, 'approvals'>, sessionId: string): Promise<number> {
  let n = 0;
  for (const a of await deps.approvals.pending()) {
    if (a.kind === 'confirmSign' && a.params.sessionId === sessionId) {
      await deps.approvals.settle(a.id, { status: 'rejected' }).catch(() => undefined);
      n++;
    }
  }
  return n;
}
