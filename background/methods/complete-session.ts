/**
 * `keyhold_completeSession`: the page's own master signed `loginPayload`; the worker posts the
 * login to the service, keeps the device key it answers, and the session becomes active.
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import type { CompleteSessionParams, SessionInfo } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { activate } from '../services/activate.js';
import { envelopeFor } from '../services/login.js';
import { refuseUse } from '../sessions/policy.js';
import { toSessionInfo } from '../sessions/view.js';

export async function completeSession(deps: WorkerDeps, p: CompleteSessionParams, ctx: PageContext): Promise<SessionInfo> {
  const session = await deps.sessions.get(p.sessionId);
  const refusal = refuseUse(session?.record, ctx.origin, deps.now());
  if (refusal) throw refusal;
  const record = session!.record;
  const service = record.service;
  if (!service) throw invalidParams('This session has no service to log in to.');
  if (service.status === 'active' || !service.loginPayload) return toSessionInfo(record);
  return toSessionInfo(await activate(deps, record, envelopeFor(service.loginPayload, service.master, p.proof)));
}
