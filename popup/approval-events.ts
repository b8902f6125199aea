/**
 * The worker's nudges to Keyhold's pages (`ExtensionEvents` in `src/protocol/extension-rpc.ts`):
 * each names what changed, so a view reloads on the events of what it shows (and polls as a
 * fallback); "approval window raised" re-arms Approve.
 * @module
 */
import browser from 'webextension-polyfill';
import { isEventMessage, type ExtensionEvent } from '../src/protocol/extension-rpc.js';

/**
 * Calls `onEvent` on every broadcast of one of `events`; returns the unsubscribe function. The
 * listener never answers, so it cannot swallow another context's `sendMessage` reply.
 */
export function onWorkerEvents(events: readonly ExtensionEvent[], onEvent: () => void): () => void {
  const listener = (message: unknown): undefined => {
    if (isEventMessage(message, events)) onEvent();
    return undefined;
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

/** The approval queue changed (the approval window's list). */
export const onApprovalsChanged = (onChange: () => void): (() => void) => onWorkerEvents(['popup:approvals-changed'], onChange);

/** Sessions, connected sites, revocations or the activity log changed (the popup's Home and Activity). */
export const onSessionsChanged = (onChange: () => void): (() => void) => onWorkerEvents(['popup:sessions-changed'], onChange);

/** The vault changed (`useVault`). */
export const onVaultChanged = (onChange: () => void): (() => void) => onWorkerEvents(['popup:vault-changed'], onChange);

/** Anything a `popup:` event names changed: for a view (or a shared store) that shows all of it. */
export const onPopupChanged = (onChange: () => void): (() => void) =>
  onWorkerEvents(['popup:approvals-changed', 'popup:sessions-changed', 'popup:vault-changed'], onChange);

export const onApprovalWindowRaised = (onRaised: () => void): (() => void) => onWorkerEvents(['approval-window:raised'], onRaised);
