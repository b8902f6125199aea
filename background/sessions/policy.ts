/**
 * Who may sign with a session, decided from the record, the caller's origin (from the browser)
 * and the clock. Pure: no storage, no browser.
 * @module
 */
import { unauthorized, type ProviderRpcError } from '../../src/protocol/errors.js';
import type { SessionRecord } from '../db.js';

/** One message for unknown and foreign sessions, so a page cannot probe other origins' ids. */
export const UNKNOWN_SESSION = 'Unknown session: it does not exist for this site, or it was revoked.';

/** Returns why `origin` may not use `record` now, or `null` when it may. */
export function refuseUse(record: SessionRecord | undefined, origin: string, nowMs: number): ProviderRpcError | null {
  if (!record || record.origin !== origin) return unauthorized(UNKNOWN_SESSION);
  if (nowMs >= record.validUntil) return unauthorized('This session has expired; create a new one.');
  return null;
}

/** Returns why `record` may not sign `requestType`, or `null` when it may. */
export function refuseRequestType(record: SessionRecord, requestType: number): ProviderRpcError | null {
  if (record.requestTypes === null || record.requestTypes.includes(requestType)) return null;
  return unauthorized(`This session may not sign request type ${requestType}; it was granted ${record.requestTypes.join(', ')}.`);
}

/** Returns why a service session may not sign yet (its login is not accepted), or `null`. */
export function refusePending(record: SessionRecord): ProviderRpcError | null {
  if (record.service?.status !== 'pending') return null;
  return unauthorized('This session is waiting for its login: sign loginPayload and call keyhold_completeSession.');
}
