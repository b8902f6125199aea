/**
 * `keyhold_signRequest`: the hot path. No approval: the user granted this when the session was
 * made. A cached session signs without touching IndexedDB. It takes only the signing deps, so
 * it (and what it imports) is all of the worker a cold start's first signature loads.
 * @module
 */
import type { BytesEnvelope, FrameResult, JsonEnvelope, SignRequestParams } from '../../src/protocol/page-api.js';
import type { SigningDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { admitSessionUse } from '../sessions/gate.js';
import { signWithSession } from '../signer/sign-session.js';
import { signedEntry } from '../audit/entries.js';
import { invalidParams } from '../../src/protocol/errors.js';
import { messagingCarriesBytes } from '../../src/platform/messaging.js';
import { WORKER_MARKS } from '../../src/platform/worker-marks.js';

const CARRIES_BYTES = messagingCarriesBytes(globalThis.navigator?.userAgent ?? '');
let signedOnce = false;

export async function signRequest(deps: SigningDeps, p: SignRequestParams, ctx: PageContext): Promise<JsonEnvelope | FrameResult | BytesEnvelope> {
  if (p.encoding === 'bytes' && !CARRIES_BYTES) throw invalidParams("encoding 'bytes' needs Chrome 148 or later, or Firefox: this browser's extension messaging carries JSON, not bytes.");
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
  if (!signedOnce) {
    signedOnce = true;
    performance.mark(WORKER_MARKS.firstSignature);
  }
  deps.audit.record(signedEntry(ctx.origin, p.sessionId, p.requestType, signed.payload, now, session.record.descriptor, p.body));
  return signed.result;
}
