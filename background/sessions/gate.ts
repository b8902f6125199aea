/**
 * The one gate every use of a session passes (`keyhold_signRequest`, `keyhold_send`, and any
 * later method that signs with a session key): origin, expiry, pending login, request type and
 * `requiresUnlock`, in that order. A refusal signs nothing. Later checks (the session's policy)
 * join here, so no method can forget one.
 * @module
 */
import { unauthorized } from '../../src/protocol/errors.js';
import type { WorkerDeps } from '../deps.js';
import { refusePending, refuseRequestType, refuseUse } from './policy.js';
import type { LiveSession } from './store.js';

export const UNLOCK_TO_USE_SESSION = 'Unlock Keyhold to use this session';

/** What a caller wants to do with a session. */
export interface SessionUse {
  sessionId: string;
  /** The caller's origin, from the browser (`port.sender`). */
  origin: string;
  requestType: number;
}

/**
 * The session `use` may sign with now.
 * @throws ProviderRpcError 4100 naming the first check that refuses.
 */
export async function admitSessionUse(deps: Pick<WorkerDeps, 'sessions' | 'vault'>, use: SessionUse, nowMs: number): Promise<LiveSession> {
  const session = deps.sessions.peek(use.sessionId) ?? (await deps.sessions.get(use.sessionId));
  const refusal = refuseUse(session?.record, use.origin, nowMs);
  if (refusal || !session) throw refusal ?? unauthorized('Unknown session.');
  const later = refusePending(session.record) ?? refuseRequestType(session.record, use.requestType);
  if (later) throw later;
  // Only keys created with requiresUnlock look at the vault; the hot path stays synchronous.
  if (session.record.requiresUnlock === true && !(await deps.vault.isUnlocked())) throw unauthorized(UNLOCK_TO_USE_SESSION);
  return session;
}
