/**
 * Authenticates session-signed requests (orders, withdrawals, logout) with `@keyhold/verify`,
 * the package a service operator would use: it parses the envelope or frame, checks the
 * session's key and device key (this service's lookup, as the policy's `authorize`), the
 * Ed25519 signature, the auth window and the request id. Its errors carry the codes and
 * statuses of `spec/service.md` §6 and become this service's {@link ServiceError}s.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { Verifier, VerifyError, type ReplayGuard, type VerifiedRequest } from '../packages/verify/src/index.js';
import { MAX_FUTURE_MS } from './auth-window.js';
import { ServiceError, unauthorized } from './errors.js';
import type { HandlerRequest } from './handler.js';
import type { ServiceState, Session } from './state.js';

/** The session that signed, and whether the request presented its device key. */
export interface SessionSigner {
  session: Session;
  deviceKeyMatches: boolean;
}

/** The service's request-id memory as a replay guard: ids are service-wide, whoever signed. */
const replayGuardOf = (state: ServiceState): ReplayGuard => ({
  claim: (key, expiresAtMs, nowMs) => state.rememberRequest(key, expiresAtMs, nowMs),
});

/**
 * Verifies a request signed by a session key for an endpoint of `requestType`.
 * @param deviceKey - 'required': X-DEVICE-KEY must be the session's (401 otherwise)
 * @throws ServiceError with the status and code of `spec/service.md` §5–6
 */
export async function authenticateSessionRequest(
  req: HandlerRequest,
  requestType: number,
  deviceKey: 'required' | 'optional',
): Promise<VerifiedRequest<SessionSigner>> {
  // This service's window (§5 step 7): issued_at up to 60 s ahead of its clock, none past expiry.
  const verifier = new Verifier({ clock: () => req.nowMs, clockSkew: { aheadMs: MAX_FUTURE_MS, behindMs: 0 }, replayGuard: replayGuardOf(req.state) });
  const header = req.headers['x-device-key'];
  const presented = Array.isArray(header) ? header.join(',') : header;
  try {
    return await verifier.verifyBody(req.headers['content-type'], req.body, {
      requestType,
      signer: 'session',
      authorize: (signer) => {
        const session = liveSession(req, signer.publicKeyBase64);
        const deviceKeyMatches = sameSecret(presented, session.deviceKey);
        if (deviceKey === 'required' && !deviceKeyMatches) {
          throw presented === undefined
            ? unauthorized('device_key_missing', 'this endpoint needs the X-DEVICE-KEY header issued at login')
            : unauthorized('device_key_invalid', "X-DEVICE-KEY is not this session's device key");
        }
        return { session, deviceKeyMatches };
      },
    });
  } catch (err) {
    if (err instanceof VerifyError) throw new ServiceError(err.status, err.code, err.message);
    throw err;
  }
}

function liveSession(req: HandlerRequest, publicKey: string): Session {
  const session = req.state.sessionByPublicKey(publicKey);
  if (session === undefined) throw unauthorized('unknown_session', 'no session has this public_key');
  if (session.revoked) throw unauthorized('session_revoked', `session ${session.id} is revoked`);
  if (req.nowMs >= session.validUntilMs) throw unauthorized('session_expired', `session ${session.id} has expired`);
  return session;
}

function sameSecret(presented: string | undefined, expected: string | null): boolean {
  if (presented === undefined || expected === null) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
