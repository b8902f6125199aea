/**
 * Applies the user's decision on an approval. Approving runs the kind's action here, in the
 * worker, so its effect exists even if the page that asked is gone by then (its replay finds the
 * result kept with the approval).
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import type { WorkerDeps } from '../deps.js';
import { approvalActions } from './actions.js';
import type { Action, DecideOptions } from './types.js';

const deciding = new Set<string>();

/** @throws ProviderRpcError -32602 when the approval is not pending (or is being decided). */
export async function decideApproval(deps: WorkerDeps, approvalId: string, approve: boolean, options: DecideOptions = {}): Promise<{ ok: true }> {
  if (deciding.has(approvalId)) throw invalidParams('approvalId is already being decided.');
  deciding.add(approvalId);
  try {
    const approval = await deps.approvals.get(approvalId);
    if (!approval || approval.status !== 'pending') throw invalidParams('approvalId names no pending approval.');
    if (!approve) {
      await deps.approvals.settle(approvalId, { status: 'rejected' });
    } else {
      // The table pairs each kind with its action; TypeScript cannot follow the pairing through a union.
      const action = approvalActions[approval.kind] as Action<typeof approval.kind>;
      const { result, undo } = await action(deps, approval, options);
      try {
        await deps.approvals.settle(approvalId, { status: 'approved', result });
      } catch (err) {
        // The approval stopped being pending while the action ran (its window was closed):
        // the user's last word was a rejection, so the effect must not outlive it.
        await undo?.();
        throw err;
      }
    }
    // The last decision closes the window at once, from here: a request arriving from now on
    // opens a fresh window instead of landing in one that is about to go.
    await deps.closeApprovalsIfIdle();
    deps.tellExtensionPages('popup:approvals-changed');
    // Approving may have made a session, connected a site or logged a master signature.
    if (approve) deps.tellExtensionPages('popup:sessions-changed');
    return { ok: true };
  } finally {
    deciding.delete(approvalId);
  }
}
