/**
 * The extension-page RPC: what the popup and the approval window may ask the worker. The worker
 * accepts these only from its own extension pages (decided from `sender`, never the payload).
 * @module
 */
import type { SerializedError } from './errors.js';
import type { CreateSessionParams, RevokeResult, SessionInfo } from './page-api.js';

export const RPC_CHANNEL = 'dev.keyhold/rpc';

/**
 * Every kind of request that waits for the user: what the approval window shows (`params`) and
 * what approving it produces (`result`, kept with the approval so a replayed request finds it).
 * A new kind is added here, with its action in `background/approvals/actions.ts` and its view
 * in `popup/components/`.
 */
export interface ApprovalKinds {
  createSession: { params: CreateSessionParams; result: { sessionId: string } };
}
export type ApprovalKind = keyof ApprovalKinds;

/** A request waiting for the user, as the approval window shows it. */
export type ApprovalView = {
  [K in ApprovalKind]: {
    id: string;
    /** The requesting origin, from the browser. */
    origin: string;
    /** ms since the epoch. */
    createdAt: number;
    kind: K;
    params: ApprovalKinds[K]['params'];
  };
}[ApprovalKind];

/** A revocation Keyhold has not yet delivered to its service. Never carries a key. */
export interface RevocationView {
  sessionId: string;
  origin: string;
  baseUrl: string;
  /** ms since the epoch. */
  revokedAt: number;
  attempts: number;
  /** ms since the epoch. */
  nextAttemptAt: number;
  lastError: string | null;
}

/** A session as the popup shows it: every origin's, with its origin. */
export interface SessionView extends SessionInfo {
  origin: string;
}

export interface ExtensionMethods {
  /** Pending approvals, oldest first. */
  approval_list: { params: Record<string, never>; result: ApprovalView[] };
  approval_decide: { params: { approvalId: string; approve: boolean }; result: { ok: true } };
  /** Every live session of every origin, newest first. */
  session_listAll: { params: Record<string, never>; result: SessionView[] };
  session_revoke: { params: { sessionId: string }; result: RevokeResult };
  /** Revocations still owed to services, oldest first. */
  revocation_list: { params: Record<string, never>; result: RevocationView[] };
}
export type ExtensionMethod = keyof ExtensionMethods;

export interface RpcRequest<M extends ExtensionMethod = ExtensionMethod> {
  channel: typeof RPC_CHANNEL;
  method: M;
  params: ExtensionMethods[M]['params'];
}

export type RpcResponse<M extends ExtensionMethod = ExtensionMethod> =
  | { ok: true; result: ExtensionMethods[M]['result'] }
  | { ok: false; error: SerializedError };
