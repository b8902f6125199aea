/**
 * The worker's nudges to its extension pages: "approvals changed" (a request was queued or
 * settled; the approval window reloads on it and polls as a fallback) and "approval window
 * raised" (the worker brought the open window forward; Approve re-arms).
 * @module
 */
import browser from 'webextension-polyfill';
import { RPC_CHANNEL, type ExtensionEvent } from '../src/protocol/extension-rpc.js';

function isEvent(message: unknown, event: ExtensionEvent): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.channel === RPC_CHANNEL && m.event === event;
}

/**
 * Calls `onEvent` on every broadcast of `event`; returns the unsubscribe function. The
 * listener never answers, so it cannot swallow another context's `sendMessage` reply.
 */
function onWorkerEvent(event: ExtensionEvent, onEvent: () => void): () => void {
  const listener = (message: unknown): undefined => {
    if (isEvent(message, event)) onEvent();
    return undefined;
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

export const onApprovalsChanged = (onChange: () => void): (() => void) => onWorkerEvent('approvals-changed', onChange);

export const onApprovalWindowRaised = (onRaised: () => void): (() => void) => onWorkerEvent('approval-window-raised', onRaised);
