/**
 * `keyhold_signRequest`: the hot path. No approval: the user granted this when the session was
 * made. A cached session signs without touching IndexedDB.
 * @module
 */
import type { FrameResult, JsonEnvelope, SignRequestParams } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { admitSessionUse } from '../sessions/gate.js';
import { signWithSession } from '../signer/sign-session.js';
import { signedEntry } from '../audit/entries.js';

export async function signRequest(deps: WorkerDeps, p: SignRequestParams, ctx: PageContext): Promise<JsonEnvelope | FrameResult> {
  const now = deps.now();
  const session = await admitSessionUse(deps, { sessionId: p.sessionId, origin: ctx.origin, requestType: p.requestType, body: p.body, onWait: ctx.answerAlone }, now);
  let signed;
  try {
    signed = await signWithSession(session, p.requestType, p.body, p.encoding, now);
    // Answered only once the policy's counts in storage include it (see Admission.counted).
    if (session.counted) await session.counted;
  } catch (err) {
    session.release();
    throw err;
  }
  deps.audit.record(signedEntry(ctx.origin, p.sessionId, p.requestType, signed.payload, now, session.record.descriptor, p.body));
  return signed.result;
}
