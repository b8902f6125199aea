/**
 * The reference service's use of `@keyhold/verify`, the package a service operator would use:
 * one verifier per request over this service's state (its clock, its request-id memory as the
 * replay guard, its registered passkeys), for logins (the bound login message) and for
 * session-signed requests (orders, withdrawals, logout). The package's errors carry the codes
 * and statuses of `spec/service.md` §6 and become this service's {@link ServiceError}s.
 * @module
 */
import { Verifier, VerifyError, type VerifiedLogin, type VerifiedRequest } from '../packages/verify/src/index.js';
import { MAX_FUTURE_MS } from './auth-window.js';
import { liveSession, sameSecret } from './authenticate.js';
import { ServiceError, unauthorized } from './errors.js';
import type { HandlerRequest } from './handler.js';
import type { Session } from './state.js';

/** The session that signed, and whether the request presented its device key. */
export interface SessionSigner {
  session: Session;
  deviceKeyMatches: boolean;
}

/** A verifier over this request's clock and the service's state. */
function verifierOf(req: HandlerRequest): Verifier {
  return new Verifier({
    clock: () => req.nowMs,
    // This service's window (§5 step 7): issued_at up to 60 s ahead of its clock, none past expiry.
    clockSkew: { aheadMs: MAX_FUTURE_MS, behindMs: 0 },
    // ids and login nonces are service-wide: in memory, or in Redis shared by every process
    replayGuard: req.state.replay,
    passkeys: (id) => {
      const c = req.state.passkeys.get(id);
      return c && { publicKeySpki: c.spki, rpId: c.rpId, origin: c.origin };
    },
  });
}

async function asServiceErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof VerifyError) throw new ServiceError(err.status, err.code, err.message);
    throw err;
  }
}

/**
 * Verifies a login: this service is its audience, it serves the site, window, master, nonce.
 * @throws ServiceError with the status and code of `spec/service.md` §6
 */
export function verifyServiceLogin(req: HandlerRequest): Promise<VerifiedLogin> {
  const { state } = req;
  return asServiceErrors(() =>
    verifierOf(req).verifyLogin(req.headers['content-type'], req.body, { audience: [...state.origins], sites: (site) => state.sites.has(site) }),
  );
}

/**
 * Verifies a request signed by a session key for an endpoint of `requestType`.
 * @param deviceKey - 'required': X-DEVICE-KEY must be the session's (401 otherwise)
 * @throws ServiceError with the status and code of `spec/service.md` §5–6
 */
export function authenticateSessionRequest(
  req: HandlerRequest,
  requestType: number,
  deviceKey: 'required' | 'optional',
): Promise<VerifiedRequest<SessionSigner>> {
  const header = req.headers['x-device-key'];
  const presented = Array.isArray(header) ? header.join(',') : header;
  return asServiceErrors(() =>
    verifierOf(req).verifyBody(req.headers['content-type'], req.body, {
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
    }),
  );
}

