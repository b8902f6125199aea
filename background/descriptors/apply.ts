/**
 * Before a session request is shown: for a service session, the service's own descriptor
 * (fetched now) replaces one the page passed; and, unless the page's policy lists its own
 * `confirmTypes`, the descriptor's `transfer` and `admin` types the session may sign become
 * confirm types.
 * @module
 */
import type { CreateSessionParams } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';

export async function withDescriptor<P extends CreateSessionParams>(deps: Pick<WorkerDeps, 'descriptors'>, params: P): Promise<P> {
  const next: P = { ...params };
  if (params.service) {
    const own = await deps.descriptors.forService(params.service.baseUrl);
    if (own) next.descriptor = { source: 'service', descriptor: own };
  }
  const d = next.descriptor?.descriptor;
  if (d && next.policy?.confirmTypes === undefined) {
    const risky = Object.entries(d.requestTypes)
      .filter(([key, t]) => (t.risk === 'transfer' || t.risk === 'admin') && (params.requestTypes === null || params.requestTypes.includes(Number(key))))
      .map(([key]) => Number(key))
      .sort((a, b) => a - b);
    if (risky.length) next.policy = { ...next.policy, confirmTypes: risky };
  }
  return next;
}
