/**
 * The approval flow's own types: what the user says when deciding, and what an action (the
 * effect of approving one kind of request) looks like. A leaf module: the folders that supply
 * actions (`sessions/`, `wallet/`) import these without importing the flow itself.
 * @module
 */
import type { ApprovalKind, ApprovalKinds } from '../../src/protocol/extension-rpc.js';
import type { WorkerDeps } from '../deps.js';
import type { ApprovalRecord } from './queue.js';

export type { ApprovalInput, ApprovalOutcome, ApprovalRecord, ApprovalStatus } from './queue.js';

/** What approving produced, and how to take it back if the approval stopped being pending meanwhile. */
export interface ActionOutcome<K extends ApprovalKind> {
  result: ApprovalKinds[K]['result'];
  undo?: () => Promise<void>;
}

/** What the user said besides "approve": `acknowledged` is a second, deliberate confirmation. */
export interface DecideOptions {
  acknowledged?: boolean;
  /** A connect approval: the accounts the user picked (lower case, validated at the RPC). */
  accounts?: string[];
  /**
   * A session request: the policy as the user tightened it. Parsed by the action, which alone
   * knows the request types it must be read against and the policy it may not loosen.
   */
  policy?: unknown;
}

/** The effect of approving one kind of request. */
export type Action<K extends ApprovalKind> = (
  deps: WorkerDeps,
  approval: Extract<ApprovalRecord, { kind: K }>,
  options: DecideOptions,
) => Promise<ActionOutcome<K>>;

/** One action per kind: a kind without one, or with a misshapen one, fails to compile. */
export type Actions = { [K in ApprovalKind]: Action<K> };
