/**
 * Queues an approval for a page request, brings up the approval window, and waits for the
 * user. A replayed request (same origin and page request id) finds its approval again.
 * @module
 */
import { userRejected } from '../../src/protocol/errors.js';
import type { ApprovalKind, ApprovalKinds } from '../../src/protocol/extension-rpc.js';
import type { WorkerDeps } from '../deps.js';
import type { ApprovalInput } from '../approvals/queue.js';
import type { PageContext } from '../router/page-context.js';

/**
 * @throws ProviderRpcError 4001 when the user rejects (or closes the window); -32005 when too
 *   many approvals wait
 */
export async function awaitApproval<K extends ApprovalKind>(
  deps: WorkerDeps,
  ctx: PageContext,
  kind: K,
  params: ApprovalKinds[K]['params'],
  rejected: string,
): Promise<ApprovalKinds[K]['result']> {
  const { record, created } = await deps.approvals.enqueue({
    origin: ctx.origin,
    dedupeKey: `${ctx.origin} ${ctx.requestId}`,
    kind,
    params,
  } as ApprovalInput);
  if (created || record.status === 'pending') {
    await deps.showApprovals();
    deps.notifyPages();
  }
  const decided = await deps.approvals.wait(record);
  if (decided.status !== 'approved' || decided.kind !== kind || !decided.result) throw userRejected(rejected);
  return decided.result as ApprovalKinds[K]['result'];
}
