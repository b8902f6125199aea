/**
 * The extension-page RPC: what the popup and the approval window may ask. Accepted only from
 * Keyhold's own pages (decided in `index.ts` from `sender`); anyone else gets 4200. One table
 * pairs each method of `ExtensionMethods` with its parser (`extension-params.ts`) and its
 * handler (here, and the vault's in `vault/rpc.ts`), as the page API does: a missing handler,
 * or one with the wrong params or result, fails to compile.
 * @module
 */
import { fieldsOf } from '../../src/protocol/fields.js';
import { serializeError, unsupportedMethod } from '../../src/protocol/errors.js';
import { type ApprovalView, type ExtensionMethod, type ExtensionMethods, type RpcResponse } from '../../src/protocol/extension-rpc.js';
import { decideApproval } from '../approvals/decide.js';
import { hostsOf, siteOf } from '../approvals/hosts.js';
import { assertArmed } from '../approvals/arming.js';
import { vaultHandlers } from '../vault/rpc.js';
import type { WorkerDeps } from '../deps.js';
import { revokeMany, revokeSession } from '../sessions/revoke.js';
import { listAtService, revokeAtService } from '../services/master-calls.js';
import { masterServices } from '../services/master-services.js';
import { toSessionView } from '../sessions/view.js';
import { pauseSession, resumeSession } from '../policy/pause.js';
import { withPolicyView } from '../policy/view.js';
import { MAX_ENTRIES } from '../audit/log.js';
import { extensionParamParsers, isExtensionMethod, type ExtensionParams } from './extension-params.js';

/** One handler per extension method, taking its parsed params. */
export type ExtensionHandlers = {
  [M in ExtensionMethod]: (deps: WorkerDeps, params: ExtensionParams[M]) => Promise<ExtensionMethods[M]['result']>;
};

export const extensionHandlers: ExtensionHandlers = {
  async approval_list(deps) {
    return (await deps.approvals.pending()).map(
      ({ id, origin, createdAt, kind, params, page }) => ({ id, origin, createdAt, kind, params, hosts: hostsOf({ origin, params }), site: siteOf(origin, page) }) as ApprovalView,
    );
  },
  async approval_decide(deps, { approvalId, approve, ...options }) {
    if (approve && deps.approvalsRaisedAt) assertArmed(deps.approvalsRaisedAt(), deps.now());
    return decideApproval(deps, approvalId, approve, options);
  },
  async approval_windowIdle(deps) {
    return { closed: await deps.closeApprovalsIfIdle() };
  },
  async session_listAll(deps) {
    const records = (await deps.sessions.listAll(deps.now())).reverse();
    const states = new Map((await deps.policies.states.all()).map((s) => [s.sessionId, s]));
    return records.map((r) => withPolicyView(toSessionView(r), r, deps.policies.peek(r.id), states.get(r.id)));
  },
  session_revoke: (deps, { sessionId }) => revokeSession(deps, sessionId),
  session_pause: (deps, { sessionId }) => pauseSession(deps, sessionId),
  session_resume: (deps, { sessionId }) => resumeSession(deps, sessionId),
  async session_revokeSite(deps, { origin }) {
    return revokeMany(deps, (await deps.sessions.listAll(deps.now())).filter((s) => s.origin === origin).map((s) => s.id));
  },
  async session_revokeAll(deps) {
    // Expired sessions too: nothing should outlive a panic.
    return revokeMany(deps, (await deps.sessions.listAll(0)).map((s) => s.id));
  },
  async service_known(deps) {
    // Only where the vault's master logged in itself: a service a page merely named is not one.
    return (await masterServices(deps)).sort();
  },
  service_listSessions: (deps, { baseUrl }) => listAtService(deps, baseUrl),
  service_revokeSession: (deps, { baseUrl, sessionId }) => revokeAtService(deps, baseUrl, sessionId),
  async activity_list(deps, { limit }) {
    // Every field but the store's own id, present only when set.
    return (await deps.audit.list(limit ?? MAX_ENTRIES)).map(({ id: _id, ...view }) => view);
  },
  async revocation_list(deps) {
    const owed = await deps.revocations.pending();
    return owed
      .sort((a, b) => a.revokedAt - b.revokedAt)
      .map(({ sessionId, origin, baseUrl, revokedAt, attempts, nextAttemptAt, lastError }) => ({ sessionId, origin, baseUrl, revokedAt, attempts, nextAttemptAt, lastError }));
  },
  storage_status: (deps, { recheck }) => (recheck === true ? deps.storage.recheck() : deps.storage.status()),
  ...vaultHandlers,
};

/** Parses `params` for `method` and runs its handler. */
function dispatch<M extends ExtensionMethod>(deps: WorkerDeps, method: M, params: unknown): Promise<ExtensionMethods[M]['result']> {
  const parse: (p: unknown) => ExtensionParams[M] = extensionParamParsers[method];
  const handle: (d: WorkerDeps, p: ExtensionParams[M]) => Promise<ExtensionMethods[M]['result']> = extensionHandlers[method];
  return handle(deps, parse(params));
}

/** Answers one RPC message from a sender already known to be an extension page. */
export async function answerRpc(deps: WorkerDeps, message: unknown): Promise<RpcResponse> {
  try {
    const m = typeof message === 'object' && message !== null ? fieldsOf<{ method: unknown; params: unknown }>(message) : {};
    if (!isExtensionMethod(m.method)) throw unsupportedMethod(String(m.method).slice(0, 64));
    return { ok: true, result: await dispatch(deps, m.method, m.params) };
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}
