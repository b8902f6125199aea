/**
 * `keyhold_signRequest`: the hot path. No approval: the user granted this when the session was
 * made. A cached session signs without touching IndexedDB.
 * @module
 */
import type { FrameResult, JsonEnvelope, SignRequestParams } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { refusePending, refuseRequestType, refuseUse } from '../sessions/policy.js';
import { signWithSession } from '../signer/sign-session.js';

export async function signRequest(deps: WorkerDeps, p: SignRequestParams, ctx: PageContext): Promise<JsonEnvelope | FrameResult> {
  const session = deps.sessions.peek(p.sessionId) ?? (await deps.sessions.get(p.sessionId));
  const now = deps.now();
  const refusal =
    refuseUse(session?.record, ctx.origin, now) ?? refusePending(session!.record) ?? refuseRequestType(session!.record, p.requestType);
  if (refusal) throw refusal;
  return signWithSession(session!, p.requestType, p.body, p.encoding, now);
}
