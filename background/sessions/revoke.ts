/**
 * Revocation, shared by the page method and the popup. The session and its key are deleted
 * before the answer goes out, so the next signature is refused. A service session's logout is
 * queued in the same transaction and delivered at once if the service answers in time;
 * otherwise it stays queued and is retried (services/revocations.ts). An API key made for a
 * service is revoked at the service first (`api-keys/revoke-at-service.ts`).
 * @module
 */
import { unauthorized } from '../../src/protocol/errors.js';
import type { RevokeResult } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import { UNKNOWN_SESSION } from './policy.js';
import { sessionEntry } from '../audit/entries.js';
import { revokeApiKeyAtService } from '../api-keys/revoke-at-service.js';

/** How long a revoke waits for the service before answering "pending". */
export const REVOKE_WAIT_MS = 5_000;

export async function revokeSession(deps: WorkerDeps, sessionId: string): Promise<RevokeResult> {
  const session = await deps.sessions.get(sessionId);
  if (!session) throw unauthorized(UNKNOWN_SESSION);
  const binding = session.record.kind === 'apiKey' ? session.record.apiKey : undefined;
  // An API key made for a service is revoked there first, signed by its master; kept on failure.
  if (binding?.baseUrl) await revokeApiKeyAtService(deps, session.record, binding.baseUrl, binding.address);
  const service = session.record.service;
  if (!service || service.status !== 'active' || !service.deviceKey) {
    // Nothing was ever logged in at a service: deleting it here is the whole revocation.
    if (!(await deps.sessions.delete(sessionId))) throw unauthorized(UNKNOWN_SESSION);
    deps.audit.record(sessionEntry('session-revoked', session.record.origin, sessionId, deps.now()));
    deps.tellExtensionPages('popup:sessions-changed');
    return service || binding?.baseUrl ? { revoked: true, service: 'revoked' } : { revoked: true };
  }
  const deviceKey = service.deviceKey;
  const queued = await deps.sessions.deleteIntoRevocations(sessionId, (r) => ({
    sessionId,
    origin: r.origin,
    baseUrl: service.baseUrl,
    privateKey: r.privateKey,
    publicKey: r.publicKey,
    deviceKey,
    ...(service.serviceSessionId ? { serviceSessionId: service.serviceSessionId } : {}),
    revokedAt: deps.now(),
    attempts: 0,
    nextAttemptAt: deps.now(),
    lastError: null,
  }));
  if (!queued) throw unauthorized(UNKNOWN_SESSION);
  deps.audit.record(sessionEntry('session-revoked', queued.origin, sessionId, deps.now()));
  deps.tellExtensionPages('popup:sessions-changed');
  const outcome = await Promise.race([
    deps.revocations.deliver(sessionId),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), REVOKE_WAIT_MS)),
  ]);
  return { revoked: true, service: outcome };
}

/** Revokes several sessions; one that is already gone is skipped. */
export async function revokeMany(deps: WorkerDeps, sessionIds: string[]): Promise<{ revoked: number; pending: number }> {
  const outcomes = await Promise.all(sessionIds.map((id) => revokeSession(deps, id).catch(() => null)));
  const done = outcomes.filter((o) => o !== null);
  return { revoked: done.length, pending: done.filter((o) => o.service === 'pending').length };
}
