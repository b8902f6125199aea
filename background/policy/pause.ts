/**
 * Pause and Resume, from the popup: stored before they answer, so they survive worker and
 * browser restarts; pausing also refuses the session's confirmations still waiting.
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import type { WorkerDeps } from '../deps.js';
import { rejectWaitingConfirmations } from './confirm.js';

async function liveRecord(deps: WorkerDeps, sessionId: string) {
  const s = await deps.sessions.get(sessionId);
  if (!s || s.record.validUntil <= deps.now()) throw invalidParams('sessionId names no live session.');
  return s.record;
}

export async function pauseSession(deps: WorkerDeps, sessionId: string): Promise<{ paused: true }> {
  const record = await liveRecord(deps, sessionId);
  const now = deps.now();
  await deps.policies.setPaused(record, { at: now, by: 'user' });
  await rejectWaitingConfirmations(deps, sessionId);
  deps.audit.record({ at: now, origin: record.origin, kind: 'session-paused', sessionId, by: 'user' });
  await deps.closeApprovalsIfIdle();
  deps.tellExtensionPages('popup:approvals-changed');
  deps.tellExtensionPages('popup:sessions-changed');
  return { paused: true };
}

export async function resumeSession(deps: WorkerDeps, sessionId: string): Promise<{ paused: false }> {
  const record = await liveRecord(deps, sessionId);
  await deps.policies.setPaused(record, null);
  deps.audit.record({ at: deps.now(), origin: record.origin, kind: 'session-resumed', sessionId });
  deps.tellExtensionPages('popup:sessions-changed');
  return { paused: false };
}
