/**
 * `keyhold_revokeSession`: deletes a session of the calling origin, key and all.
 * @module
 */
import { unauthorized } from '../../src/protocol/errors.js';
import type { RevokeResult, SessionIdParams } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { UNKNOWN_SESSION } from '../sessions/policy.js';
import { revokeSession as revoke } from '../sessions/revoke.js';

export async function revokeSession(deps: WorkerDeps, p: SessionIdParams, ctx: PageContext): Promise<RevokeResult> {
  const session = await deps.sessions.get(p.sessionId);
  // An expired session may still be revoked by its origin; a foreign one looks unknown.
  if (!session || session.record.origin !== ctx.origin) throw unauthorized(UNKNOWN_SESSION);
  return revoke(deps, p.sessionId);
}
