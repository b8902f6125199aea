/**
 * The auth window (`spec/signing.md` §3.2, §7 step 5): a payload is valid from `issued_at_ms`
 * to `expires_at_ms`, a window of at most 60 s, judged against the verifier's clock with a
 * stated allowance for clock skew.
 * @module
 */
import { unauthorized } from './errors.js';
import { AUTH_WINDOW_MS, type Payload } from './payload.js';

/** How far the signer's clock may be off the verifier's. */
export interface ClockSkew {
  /** How far `issued_at_ms` may be ahead of now (the signer's clock runs fast). */
  aheadMs: number;
  /** How long after `expires_at_ms` a request is still accepted (it was slow, or the clock runs slow). */
  behindMs: number;
}

/** The default allowance: 5 s each way. */
export const DEFAULT_CLOCK_SKEW: Readonly<ClockSkew> = Object.freeze({ aheadMs: 5_000, behindMs: 5_000 });

/**
 * Checks the payload's window against `nowMs`.
 * @throws VerifyError 401 `auth_window_invalid` (expires ≤ issued, or longer than 60 s),
 *   `auth_not_yet_valid` (issued more than `aheadMs` ahead), `auth_expired` (more than
 *   `behindMs` past expires)
 */
export function checkAuthWindow(p: Pick<Payload, 'issuedAtMs' | 'expiresAtMs'>, nowMs: number, skew: ClockSkew = DEFAULT_CLOCK_SKEW): void {
  const length = p.expiresAtMs - p.issuedAtMs;
  if (length <= 0 || length > AUTH_WINDOW_MS) {
    throw unauthorized('auth_window_invalid', `expires_at_ms − issued_at_ms must be 1..${AUTH_WINDOW_MS}, got ${length}`);
  }
  if (p.issuedAtMs > nowMs + skew.aheadMs) throw unauthorized('auth_not_yet_valid', `issued_at_ms is more than ${skew.aheadMs} ms ahead of the verifier's clock`);
  if (nowMs > p.expiresAtMs + skew.behindMs) throw unauthorized('auth_expired', `the request expired at ${new Date(p.expiresAtMs).toISOString()}`);
}
