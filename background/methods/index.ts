/**
 * The page method table: one handler per method of `PageMethods`, so a missing or misshapen
 * handler fails to compile.
 * @module
 */
import { MAX_SENDS_IN_FLIGHT, type PageMethod, type PageMethods } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { completeSession } from './complete-session.js';
import { createSession } from './create-session.js';
import { listSessions } from './list-sessions.js';
import { limitPerOrigin } from './per-origin-limit.js';
import { revokeSession } from './revoke-session.js';
import { send } from './send.js';
import { signRequest } from './sign-request.js';
import { walletHandlers } from './wallet-handlers.js';

export type PageHandlers = {
  [M in PageMethod]: (deps: WorkerDeps, params: PageMethods[M]['params'], ctx: PageContext) => Promise<PageMethods[M]['result']>;
};

export const pageHandlers: PageHandlers = {
  keyhold_createSession: createSession,
  keyhold_listSessions: listSessions,
  keyhold_signRequest: signRequest,
  keyhold_revokeSession: revokeSession,
  keyhold_completeSession: completeSession,
  // Each send waits on its service: bounded per origin so hung services cannot grow the worker.
  keyhold_send: limitPerOrigin(send, MAX_SENDS_IN_FLIGHT, 'keyhold_send'),
  ...walletHandlers,
};
