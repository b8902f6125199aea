/**
 * The extension-page RPC: what the popup and the approval window may ask. Accepted only from
 * Keyhold's own pages; a content script or anything else gets 4200. Params are validated here.
 * @module
 */
import { aint, aobject } from '../../src/protocol/assert.js';
import { ProviderRpcError, ErrorCode, invalidParams, serializeError, unsupportedMethod } from '../../src/protocol/errors.js';
import { RPC_CHANNEL, type ActivityView, type ApprovalView, type ExtensionMethod, type ExtensionMethods, type RpcResponse } from '../../src/protocol/extension-rpc.js';
import { isUuidString } from '../../src/wire/uuidv7.js';
import { decideApproval } from '../approvals/decide.js';
import type { DecideOptions } from '../approvals/actions.js';
import { hostsOf } from '../approvals/hosts.js';
import { assertArmed } from '../approvals/arming.js';
import { vaultHandlers } from '../vault/rpc.js';
import type { WorkerDeps } from '../deps.js';
import { revokeMany, revokeSession } from '../sessions/revoke.js';
import { listAtService, revokeAtService } from '../services/master-calls.js';
import { masterServices } from '../services/master-services.js';
import { parseServiceOrigin } from '../../src/protocol/page-params.js';
import { MAX_ENTRIES } from '../audit/log.js';
import { toSessionView } from '../sessions/view.js';
import { addressList } from '../wallet/account-choice.js';
import { pauseSession, resumeSession } from '../policy/pause.js';
import { withPolicyView } from '../policy/view.js';


type Handlers = {
  [M in ExtensionMethod]: (deps: WorkerDeps, params: unknown) => Promise<ExtensionMethods[M]['result']>;
};

/** The same rule as a page's `service.baseUrl`: https, or http on loopback; an origin only. */
const serviceOrigin = (v: unknown): string => parseServiceOrigin(v, 'baseUrl');
const noParams = (params: unknown, method: string) => aobject(params ?? {}, `${method} params`, []);
const uuidField = (o: Record<string, unknown>, key: string): string => {
  if (!isUuidString(o[key])) throw invalidParams(`${key} must be a UUID string.`);
  return (o[key] as string).toLowerCase();
};

export const extensionHandlers: Handlers = {
  async approval_list(deps, params) {
    noParams(params, 'approval_list');
    return (await deps.approvals.pending()).map(({ id, origin, createdAt, kind, params: p }) => ({ id, origin, createdAt, kind, params: p, hosts: hostsOf({ origin, params: p }) }) as ApprovalView);
  },
  async approval_decide(deps, params) {
    const o = aobject(params, 'approval_decide params', ['approvalId', 'approve', 'acknowledged', 'accounts', 'policy']);
    if (typeof o.approve !== 'boolean') throw invalidParams('approve must be a boolean.');
    if (o.acknowledged !== undefined && typeof o.acknowledged !== 'boolean') throw invalidParams('acknowledged must be a boolean.');
    if (o.approve && deps.approvalsRaisedAt) assertArmed(deps.approvalsRaisedAt(), deps.now());
    const options: DecideOptions = { acknowledged: o.acknowledged === true };
    if (o.accounts !== undefined) options.accounts = addressList(o.accounts, 'accounts');
    // `policy`: the user's tightened policy for a session request; checked by the action against what was asked.
    if (o.policy !== undefined) options.policy = o.policy;
    return decideApproval(deps, uuidField(o, 'approvalId'), o.approve, options);
  },
  async approval_windowIdle(deps, params) {
    noParams(params, 'approval_windowIdle');
    return { closed: await deps.closeApprovalsIfIdle() };
  },
  async session_listAll(deps, params) {
    noParams(params, 'session_listAll');
    const records = (await deps.sessions.listAll(deps.now())).reverse();
    const states = new Map((await deps.policies.states.all()).map((s) => [s.sessionId, s]));
    return records.map((r) => withPolicyView(toSessionView(r), r, deps.policies.peek(r.id), states.get(r.id)));
  },
  async session_pause(deps, params) {
    const o = aobject(params, 'session_pause params', ['sessionId']);
    return pauseSession(deps, uuidField(o, 'sessionId'));
  },
  async session_resume(deps, params) {
    const o = aobject(params, 'session_resume params', ['sessionId']);
    return resumeSession(deps, uuidField(o, 'sessionId'));
  },
  async session_revokeSite(deps, params) {
    const o = aobject(params, 'session_revokeSite params', ['origin']);
    if (typeof o.origin !== 'string' || o.origin.length > 2048) throw invalidParams('origin must be a string.');
    const origin = o.origin;
    return revokeMany(deps, (await deps.sessions.listAll(deps.now())).filter((s) => s.origin === origin).map((s) => s.id));
  },
  async session_revokeAll(deps, params) {
    noParams(params, 'session_revokeAll');
    // Expired sessions too: nothing should outlive a panic.
    return revokeMany(deps, (await deps.sessions.listAll(0)).map((s) => s.id));
  },
  async service_known(deps, params) {
    noParams(params, 'service_known');
    // Only where the vault's master logged in itself: a service a page merely named is not one.
    return (await masterServices(deps)).sort();
  },
  async service_listSessions(deps, params) {
    const o = aobject(params, 'service_listSessions params', ['baseUrl']);
    return listAtService(deps, serviceOrigin(o.baseUrl));
  },
  async service_revokeSession(deps, params) {
    const o = aobject(params, 'service_revokeSession params', ['baseUrl', 'sessionId']);
    return revokeAtService(deps, serviceOrigin(o.baseUrl), uuidField(o, 'sessionId'));
  },
  async activity_list(deps, params) {
    const o = aobject(params ?? {}, 'activity_list params', ['limit']);
    const limit = o.limit === undefined ? MAX_ENTRIES : aint(o.limit, 'limit', 1, MAX_ENTRIES);
    // Every field but the store's own id and the revocation count, present only when set.
    return (await deps.audit.list(limit)).map(({ id: _id, count: _count, ...view }) => view);
  },
  async revocation_list(deps, params) {
    noParams(params, 'revocation_list');
    const owed = await deps.revocations.pending();
    return owed
      .sort((a, b) => a.revokedAt - b.revokedAt)
      .map(({ sessionId, origin, baseUrl, revokedAt, attempts, nextAttemptAt, lastError }) => ({ sessionId, origin, baseUrl, revokedAt, attempts, nextAttemptAt, lastError }));
  },
  async storage_status(deps, params) {
    const o = aobject(params ?? {}, 'storage_status params', ['recheck']);
    if (o.recheck !== undefined && typeof o.recheck !== 'boolean') throw invalidParams('recheck must be a boolean.');
    return o.recheck === true ? deps.storage.recheck() : deps.storage.status();
  },
  async session_revoke(deps, params) {
    const o = aobject(params, 'session_revoke params', ['sessionId']);
    return revokeSession(deps, uuidField(o, 'sessionId'));
  },
  ...vaultHandlers,
};

/** Answers one RPC message from a sender already known to be an extension page. */
export async function answerRpc(deps: WorkerDeps, message: unknown): Promise<RpcResponse> {
  try {
    const m = message as { method?: unknown; params?: unknown };
    if (typeof m.method !== 'string' || !Object.prototype.hasOwnProperty.call(extensionHandlers, m.method)) {
      throw unsupportedMethod(String(m.method).slice(0, 64));
    }
    const result = await extensionHandlers[m.method as ExtensionMethod](deps, m.params);
    return { ok: true, result } as RpcResponse;
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}

/** The answer to an RPC message from anyone but Keyhold's own pages. */
export const refusedRpc = (): RpcResponse => ({
  ok: false,
  error: new ProviderRpcError(ErrorCode.UnsupportedMethod, "Only Keyhold's own pages may call this.").toJSON(),
});

export const isRpcMessage = (m: unknown): boolean =>
  typeof m === 'object' && m !== null && (m as { channel?: unknown }).channel === RPC_CHANNEL;
