/**
 * `keyhold_listSessions`: the calling origin's live sessions, and only those.
 * @module
 */
import type { SessionInfo } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { toSessionInfo } from '../sessions/view.js';

export async function listSessions(deps: WorkerDeps, _params: null, ctx: PageContext): Promise<SessionInfo[]> {
  return (await deps.sessions.listByOrigin(ctx.origin, deps.now())).map(toSessionInfo);
}
