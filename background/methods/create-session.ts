/**
 * `keyhold_createSession`: queue an approval, wait for the user, answer the session made.
 * The key itself is made when the user approves (`approvals/actions.ts`, by
 * `sessions/create.ts`), so an approval given while the page's port was down still yields
 * exactly one session.
 * @module
 */
import { unauthorized } from '../../src/protocol/errors.js';
import type { CreateSessionParams, SessionInfo } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { awaitApproval } from '../approvals/await.js';
import { activateWithVault } from '../services/activate.js';
import { planLogin } from '../services/login-consent.js';
import { toSessionInfo } from '../sessions/view.js';
import { withDescriptor } from '../descriptors/apply.js';

export async function createSession(deps: WorkerDeps, params: CreateSessionParams, ctx: PageContext): Promise<SessionInfo> {
  // A service session's login is planned before the window opens, so the window names who signs, where and for whom.
  const login = params.service ? await planLogin(deps, params.service, ctx.origin) : undefined;
  // The service's own descriptor, and the confirm types it implies, before the window shows.
  const approval = await withDescriptor(deps, login ? { ...params, login } : params);
  const { sessionId } = await awaitApproval(deps, ctx, 'createSession', approval, 'The user rejected the session request.');
  const session = await deps.sessions.get(sessionId);
  if (!session) throw unauthorized('The approved session was revoked before it could be delivered.');
  // When the user approved the vault as the signer, it signs the login now, as the window said.
  return toSessionInfo(await activateWithVault(deps, session.record));
}
