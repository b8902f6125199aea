/**
 * The auth window check (`spec/signing.md` §3.2, §7 step 5): a payload is valid from
 * `issued_at_ms` to `expires_at_ms`, a window of at most 60 s.
 * @module
 */
import { unauthorized } from './errors.js';
import type { Payload } from './payload.js';

/** Longest window a payload may declare: expires_at_ms − issued_at_ms. */
export const AUTH_WINDOW_MS = 60_000;
/** How far ahead of the service's clock issued_at_ms may be (clock skew allowance). */
export const MAX_FUTURE_MS = 60_000;

/**
 * Checks the payload's window against the service's clock.
 * @throws ServiceError 401 `auth_window_invalid` (expires_at ≤ issued_at, or longer than 60 s),
 *   `auth_not_yet_valid` (issued_at more than 60 s ahead of now), `auth_expired` (now > expires_at)
 */
export function checkAuthWindow(p: Payload, nowMs: number): void {
  const length = p.expiresAtMs - p.issuedAtMs;
  if (length <= 0 || length > AUTH_WINDOW_MS) {
    throw unauthorized('auth_window_invalid', `expires_at_ms − issued_at_ms must be 1..${AUTH_WINDOW_MS}, got ${length}`);
  }
  if (p.issuedAtMs > nowMs + MAX_FUTURE_MS) {
    throw unauthorized('auth_not_yet_valid', `issued_at_ms is more than ${MAX_FUTURE_MS} ms ahead of the service's clock`);
  }
  if (nowMs > p.expiresAtMs) {
    throw unauthorized('auth_expired', `the request expired at ${new Date(p.expiresAtMs).toISOString()}`);
  }
}
