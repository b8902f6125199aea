/**
 * Applies the user's decision on an approval. Approving a session request makes the key here,
 * so the session exists even if the page that asked is gone by then (its replay finds it).
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import { uuidToString, uuidv7 } from '../../src/wire/uuidv7.js';
import type { WorkerDeps } from '../deps.js';
import { generateSessionKey } from '../sessions/keys.js';

const deciding = new Set<string>();

/** @throws ProviderRpcError -32602 when the approval is not pending (or is being decided). */
export async function decideApproval(deps: WorkerDeps, approvalId: string, approve: boolean): Promise<{ ok: true }> {
  if (deciding.has(approvalId)) throw invalidParams('approvalId is already being decided.');
  deciding.add(approvalId);
  try {
    const approval = await deps.approvals.get(approvalId);
    if (!approval || approval.status !== 'pending') throw invalidParams('approvalId names no pending approval.');
    if (!approve) {
      await deps.approvals.settle(approvalId, { status: 'rejected' });
    } else {
      const { params } = approval;
      const key = await generateSessionKey();
      const now = deps.now();
      const id = uuidToString(uuidv7(now));
      await deps.sessions.add({
        id,
        origin: approval.origin,
        publicKey: key.publicKey,
        privateKey: key.privateKey,
        role: params.role,
        subaccountIndex: params.subaccountIndex,
        requestTypes: params.requestTypes,
        label: params.label,
        createdAt: now,
        validUntil: now + params.ttlSeconds * 1000,
      });
      try {
        await deps.approvals.settle(approvalId, { status: 'approved', sessionId: id });
      } catch (err) {
        // The approval stopped being pending while the key was made (its window was closed):
        // the user's last word was a rejection, so the new session must not outlive it.
        await deps.sessions.delete(id);
        throw err;
      }
      deps.schedulePurge();
    }
    deps.notifyPages();
    return { ok: true };
  } finally {
    deciding.delete(approvalId);
  }
}
