/**
 * The reference service's one verifier: `@keyhold/verify`, the package a service operator would
 * use, over this service's state (its clock, its request-id memory as the replay guard, its
 * registered passkeys). Every signed endpoint goes through here: logins (the bound login
 * message), session-signed requests (orders, withdrawals, logout), the master's session
 * endpoints, API-key-signed orders and `/api/v1/verify`. What is the service's own is the
 * policy: which sessions and API keys are live, and the device key. The package's errors carry
 * the codes and statuses of `spec/service.md` §6 and become this service's {@link ServiceError}s.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { Verifier, type Policy, type Signer, type VerifiedLogin, type VerifiedRequest } from '../packages/verify/src/index.js';
import { asServiceError, badRequest, unauthorized } from './errors.js';
import type { HandlerRequest } from './handler.js';
import type { ApiKey, Session } from './state.js';

/** How far ahead of the service's clock a payload's issued_at_ms may be (clock skew allowance). */
export const MAX_FUTURE_MS = 60_000;

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
    throw asServiceError(err);
  }
}

/** The request's signed envelope or frame, verified under `policy`. */
function verified<C>(req: HandlerRequest, policy: Policy<C>): Promise<VerifiedRequest<C>> {
  return asServiceErrors(() => verifierOf(req).verifyBody(req.headers['content-type'], req.body, policy));
}

/** A header's value as one string (repeated headers joined), or undefined when absent. */
function header(req: HandlerRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The live session with this public key (standard base64). @throws ServiceError 401 `unknown_session`, `session_revoked`, `session_expired` */
function liveSession(req: HandlerRequest, publicKey: string): Session {
  const session = req.state.sessionByPublicKey(publicKey);
  if (session === undefined) throw unauthorized('unknown_session', 'no session has this public_key');
  if (session.revoked) throw unauthorized('session_revoked', `session ${session.id} is revoked`);
  if (req.nowMs >= session.validUntilMs) throw unauthorized('session_expired', `session ${session.id} has expired`);
  return session;
}

/** Whether the presented device key is the expected one, compared in constant time. */
function sameSecret(presented: string | undefined, expected: string | null): boolean {
  if (presented === undefined || expected === null) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The session that signed, live, with its device key checked.
 * @param deviceKey - 'required': X-DEVICE-KEY must be the session's (401 otherwise)
 */
function sessionSigner(req: HandlerRequest, publicKeyBase64: string, deviceKey: 'required' | 'optional'): SessionSigner {
  const session = liveSession(req, publicKeyBase64);
  const presented = header(req, 'x-device-key');
  const deviceKeyMatches = sameSecret(presented, session.deviceKey);
  if (deviceKey === 'required' && !deviceKeyMatches) {
    throw presented === undefined
      ? unauthorized('device_key_missing', 'this endpoint needs the X-DEVICE-KEY header issued at login')
      : unauthorized('device_key_invalid', "X-DEVICE-KEY is not this session's device key");
  }
  return { session, deviceKeyMatches };
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
  return verified(req, { requestType, signer: 'session', authorize: (signer) => sessionSigner(req, signer.publicKeyBase64, deviceKey) });
}

/**
 * Verifies a request signed by a master (secp256k1 or passkey) for an endpoint of `requestType`.
 * Its `signer.publicKeyBase64` is the master's key (compressed secp256k1, or the passkey's SPKI).
 * @throws ServiceError with the status and code of `spec/service.md` §5–6
 */
export function authenticateMasterRequest(req: HandlerRequest, requestType: number): Promise<VerifiedRequest> {
  return verified(req, { requestType, signer: 'master' });
}

/**
 * Verifies a request of any type signed by any scheme (`/api/v1/verify`): a session key with its
 * device key (as the trading endpoints demand), or a master.
 * @returns the request, with the signing session as its context (null for a master)
 * @throws ServiceError with the status and code of `spec/service.md` §5–6
 */
export function authenticateAnyRequest(req: HandlerRequest): Promise<VerifiedRequest<Session | null>> {
  return verified(req, {
    requestType: null,
    signer: 'any',
    authorize: (signer: Signer) => (signer.kind === 'session' ? sessionSigner(req, signer.publicKeyBase64, 'required').session : null),
  });
}

/**
 * Verifies a request signed with the API key that `X-API-Key` names (its 64-hex public key):
 * registered, live, and the envelope's `public_key`. No device key: its wallet vouched for it.
 * @throws ServiceError 400 `bad_api_key_header`; 401 `unknown_api_key`, `api_key_revoked`,
 *   `api_key_expired`, `api_key_mismatch`; and every code of a session-signed request
 */
export function authenticateApiKeyRequest(req: HandlerRequest, requestType: number): Promise<VerifiedRequest<ApiKey>> {
  const named = header(req, 'x-api-key') ?? '';
  return verified(req, {
    requestType,
    signer: 'session',
    authorize: (signer) => {
      if (!/^[0-9a-fA-F]{64}$/.test(named)) throw badRequest('bad_api_key_header', "X-API-Key must be the API key's 64-hex public key");
      const key = req.state.apiKeys.get(named.toLowerCase());
      if (key === undefined) throw unauthorized('unknown_api_key', 'no API key has this public key');
      if (key.revokedAtMs !== null) throw unauthorized('api_key_revoked', 'this API key is revoked');
      if (req.nowMs >= key.validUntilMs) throw unauthorized('api_key_expired', 'this API key has expired');
      if (Buffer.from(signer.publicKey).toString('hex') !== key.publicKeyHex) throw unauthorized('api_key_mismatch', 'public_key is not the key named by X-API-Key');
      return key;
    },
  });
}
