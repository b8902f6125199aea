/**
 * The worker's half of Approve's arming: an approval that arrives within the arming time of the
 * approval window being brought forward is refused, whatever the window showed. The window
 * disables Approve for that time itself (`popup/hooks/use-arm-delay.ts`); this catches a click
 * that lands between the worker raising the window and the window hearing of it.
 * @module
 */
import { APPROVE_ARM_MS } from '../../src/protocol/extension-rpc.js';
import { invalidParams } from '../../src/protocol/errors.js';

/** Slack for the window's own timer, which starts after the worker's stamp. */
const WORKER_ARM_MS = APPROVE_ARM_MS - 50;

export const NOT_ARMED_MESSAGE = 'This window was just brought forward: look at the request again, then approve.';

/** @throws ProviderRpcError -32602 when the window was raised less than the arming time ago. */
export function assertArmed(raisedAt: number, now: number): void {
  if (now - raisedAt < WORKER_ARM_MS) throw invalidParams(NOT_ARMED_MESSAGE);
}
