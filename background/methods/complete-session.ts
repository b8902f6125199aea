/**
 * `keyhold_completeSession`: the page's own master signed `loginPayload`; the worker posts the
 * login to the service, keeps the device key it answers, and the session becomes active.
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import type { CompleteSessionParams, SessionInfo } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { envelopeFor, postLogin } from '../services/login.js';
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
  const envelope = envelopeFor(service.loginPayload, p.proof);
  const { deviceKey } = await postLogin(deps.http, service.baseUrl, record.id, envelope);
  const active = { ...record, service: { ...service, status: 'active' as const, loginPayload: null, deviceKey } };
  await deps.sessions.update(active);
  deps.notifyPages();
  return toSessionInfo(active);
}
