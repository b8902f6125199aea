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
import { signedEntry } from '../audit/entries.js';
import { unauthorized } from '../../src/protocol/errors.js';

export const UNLOCK_TO_USE_SESSION = 'Unlock Keyhold to use this session';

export async function signRequest(deps: WorkerDeps, p: SignRequestParams, ctx: PageContext): Promise<JsonEnvelope | FrameResult> {
  const session = deps.sessions.peek(p.sessionId) ?? (await deps.sessions.get(p.sessionId));
  const now = deps.now();
  const refusal =
    refuseUse(session?.record, ctx.origin, now) ?? refusePending(session!.record) ?? refuseRequestType(session!.record, p.requestType);
  if (refusal) throw refusal;
  // Only keys created with requiresUnlock look at the vault; the hot path stays synchronous.
  if (session!.record.requiresUnlock === true && !(await deps.vault.isUnlocked())) throw unauthorized(UNLOCK_TO_USE_SESSION);
  const { result, payload } = await signWithSession(session!, p.requestType, p.body, p.encoding, now);
  deps.audit.record(signedEntry(ctx.origin, p.sessionId, p.requestType, payload, now));
  return result;
}
