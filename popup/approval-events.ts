/**
 * The worker's "approvals changed" nudge. The worker broadcasts it to its extension pages when
 * a request is queued or settled; the approval window reloads on it and polls as a fallback.
 * @module
 */
import browser from 'webextension-polyfill';
import { RPC_CHANNEL } from '../src/protocol/extension-rpc.js';

function isApprovalsChanged(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.channel === RPC_CHANNEL && m.event === 'approvals-changed';
}

/**
 * Calls `onChange` on every "approvals changed" broadcast; returns the unsubscribe function.
 * The listener never answers, so it cannot swallow another context's `sendMessage` reply.
 */
export function onApprovalsChanged(onChange: () => void): () => void {
  const listener = (message: unknown): undefined => {
    if (isApprovalsChanged(message)) onChange();
    return undefined;
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
