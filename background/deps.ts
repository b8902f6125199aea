/**
 * What the worker's handlers are given: its stores and the few effects they may cause. Built
 * once per worker start in `index.ts`; tests build it with fakes.
 * @module
 */
import type { ApprovalQueue } from './approvals/queue.js';
import type { HttpClient } from './services/http.js';
import type { Revocations } from './services/revocations.js';
import type { SessionStore } from './sessions/store.js';

export interface WorkerDeps {
  sessions: SessionStore;
  approvals: ApprovalQueue;
  /** Revocations at services, queued until delivered. */
  revocations: Revocations;
  /** Calls to services. */
  http: HttpClient;
  /** Brings up the approval window. */
  showApprovals: () => Promise<void>;
  /** Tells open extension pages that the approval queue or the sessions changed. */
  notifyPages: () => void;
  /** Re-arms the expiry purge after the set of sessions changed. */
  schedulePurge: () => void;
  now: () => number;
}
