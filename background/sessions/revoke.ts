/**
 * Revocation, shared by the page method and the popup: the key is deleted from IndexedDB and
 * from the cache before the answer goes out, so the next signature is refused.
 * @module
 */
import { unauthorized } from '../../src/protocol/errors.js';
import type { WorkerDeps } from '../deps.js';
import { UNKNOWN_SESSION } from './policy.js';

export async function revokeSession(deps: WorkerDeps, sessionId: string): Promise<{ revoked: true }> {
  const deleted = await deps.sessions.delete(sessionId);
  if (!deleted) throw unauthorized(UNKNOWN_SESSION);
  deps.notifyPages();
  return { revoked: true };
}
