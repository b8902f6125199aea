/**
 * Asking the user: queue an approval for a page request, bring up the approval window, tell
 * Keyhold's pages, and wait for the decision. A replayed request (same origin and page request
 * id) finds its approval again, pending or already decided.
 * @module
 */
import { userRejected } from '../../src/protocol/errors.js';
import type { ApprovalKind, ApprovalKinds } from '../../src/protocol/extension-rpc.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import type { ApprovalInput, ApprovalRecord } from './queue.js';

type AskDeps = Pick<WorkerDeps, 'approvals' | 'showApprovals' | 'tellExtensionPages'>;

/**
 * Queues `input` (or finds it again by its dedupe key) and, while it is pending, brings up the
 * window; answers the approval as decided.
 * @throws ProviderRpcError -32005 when too many approvals wait
 */
export async function askUser(deps: AskDeps, input: ApprovalInput): Promise<ApprovalRecord> {
  const { record, created } = await deps.approvals.enqueue(input);
  if (created || record.status === 'pending') {
    await deps.showApprovals();
    deps.tellExtensionPages('popup:approvals-changed');
  }
  return deps.approvals.wait(record);
}

/**
 * Asks the user about a page request of `kind` and answers what approving produced.
 * @throws ProviderRpcError 4001 `rejected` when the user rejects (or closes the window);
 *   -32005 when too many approvals wait
 */
export async function awaitApproval<K extends ApprovalKind>(
  deps: AskDeps,
  ctx: PageContext,
  kind: K,
  params: ApprovalKinds[K]['params'],
  rejected: string,
): Promise<ApprovalKinds[K]['result']> {
  // The page's title and icon, as the browser gave them, go with it: the window shows them as the page's own words.
  const input = { origin: ctx.origin, dedupeKey: `${ctx.origin} ${ctx.requestId}`, kind, params, ...(ctx.page ? { page: ctx.page } : {}) } as ApprovalInput;
  const decided = await askUser(deps, input);
  if (decided.status !== 'approved' || decided.kind !== kind || !decided.result) throw userRejected(rejected);
  return decided.result as ApprovalKinds[K]['result'];
}
