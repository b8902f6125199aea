/**
 * The extension-page RPC: what the popup and the approval window may ask. Accepted only from
 * Keyhold's own pages; a content script or anything else gets 4200. Params are validated here.
 * @module
 */
import { aobject } from '../../src/protocol/assert.js';
import { ProviderRpcError, ErrorCode, invalidParams, serializeError, unsupportedMethod } from '../../src/protocol/errors.js';
import { RPC_CHANNEL, type ExtensionMethod, type ExtensionMethods, type RpcResponse } from '../../src/protocol/extension-rpc.js';
import { isUuidString } from '../../src/wire/uuidv7.js';
import { decideApproval } from '../approvals/decide.js';
import type { WorkerDeps } from '../deps.js';
import { revokeSession } from '../sessions/revoke.js';
import { toSessionView } from '../sessions/view.js';


type Handlers = {
  [M in ExtensionMethod]: (deps: WorkerDeps, params: unknown) => Promise<ExtensionMethods[M]['result']>;
};

const noParams = (params: unknown, method: string) => aobject(params ?? {}, `${method} params`, []);
const uuidField = (o: Record<string, unknown>, key: string): string => {
  if (!isUuidString(o[key])) throw invalidParams(`${key} must be a UUID string.`);
  return (o[key] as string).toLowerCase();
};

export const extensionHandlers: Handlers = {
  async approval_list(deps, params) {
    noParams(params, 'approval_list');
    return (await deps.approvals.pending()).map(({ id, origin, createdAt, kind, params: p }) => ({ id, origin, createdAt, kind, params: p }));
  },
  async approval_decide(deps, params) {
    const o = aobject(params, 'approval_decide params', ['approvalId', 'approve']);
    if (typeof o.approve !== 'boolean') throw invalidParams('approve must be a boolean.');
    return decideApproval(deps, uuidField(o, 'approvalId'), o.approve);
  },
  async session_listAll(deps, params) {
    noParams(params, 'session_listAll');
    return (await deps.sessions.listAll(deps.now())).reverse().map(toSessionView);
  },
  async revocation_list(deps, params) {
    noParams(params, 'revocation_list');
    const owed = await deps.revocations.pending();
    return owed
      .sort((a, b) => a.revokedAt - b.revokedAt)
      .map(({ sessionId, origin, baseUrl, revokedAt, attempts, nextAttemptAt, lastError }) => ({ sessionId, origin, baseUrl, revokedAt, attempts, nextAttemptAt, lastError }));
  },
  async session_revoke(deps, params) {
    const o = aobject(params, 'session_revoke params', ['sessionId']);
    return revokeSession(deps, uuidField(o, 'sessionId'));
  },
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
