/**
 * The replay step (`spec/signing.md` §7 step 6) for the endpoints not yet verified by
 * `@keyhold/verify`: claims the request id in the service's replay store, as the package does.
 * @module
 */
import { ServiceError, conflict } from './errors.js';
import type { Payload } from './payload.js';
import type { ServiceState } from './state.js';

/**
 * @throws ServiceError 409 `replayed_request` for a used id; 503 `replay_store_unavailable`
 *   when the store cannot answer (fail closed: never accepted unchecked)
 */
export async function claimRequestId(state: ServiceState, p: Payload, nowMs: number): Promise<void> {
  let first: boolean;
  try {
    first = await state.replay.claim(Buffer.from(p.requestId).toString('hex'), p.expiresAtMs, nowMs);
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    throw new ServiceError(503, 'replay_store_unavailable', 'the replay store did not answer; try again');
  }
  if (!first) throw conflict('replayed_request', 'this request_id was already used');
}
