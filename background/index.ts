/**
 * Entry of the background service worker: wiring only. Every listener is registered
 * synchronously at the top level, so an event that wakes the worker is never missed; work
 * waits behind one readiness gate (`ready`).
 * @module
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { PAGE_PORT } from '../src/protocol/envelope.js';
import { RPC_CHANNEL } from '../src/protocol/extension-rpc.js';
import { ApprovalQueue } from './approvals/queue.js';
import { ApprovalWindow } from './approvals/window.js';
import { openKeyholdDb } from './db.js';
import type { WorkerDeps } from './deps.js';
import { answerRpc, isRpcMessage, refusedRpc } from './router/extension-rpc.js';
import { servePagePort, type PortLike } from './router/page-port.js';
import { isExtensionPage, pageOrigin } from './router/sender.js';
import { PURGE_ALARM, purgeAndReschedule, rescheduleOnly } from './sessions/purge.js';
import { SessionStore } from './sessions/store.js';

const STARTUP_PURGE_DELAY_MS = 2_000;
const runtimeId = browser.runtime.id;
const extensionBaseUrl = browser.runtime.getURL('');
const approvalWindow = new ApprovalWindow(browser.windows, browser.storage.session, browser.runtime.getURL('approval.html'));

async function start(): Promise<WorkerDeps> {
  const sessions = new SessionStore(await openKeyholdDb());
  const approvals = new ApprovalQueue(browser.storage.session);
  const deps: WorkerDeps = {
    sessions,
    approvals,
    showApprovals: () => approvalWindow.show(),
    notifyPages: () => {
      void updateBadge(approvals);
      browser.runtime.sendMessage({ channel: RPC_CHANNEL, event: 'approvals-changed' }).catch(() => undefined);
    },
    schedulePurge: () => void rescheduleOnly(sessions, browser.alarms, Date.now()).catch(logError),
    now: Date.now,
  };
  // Purging takes a readwrite transaction on sessions; deferring it keeps it from delaying the
  // first signature after a cold start.
  setTimeout(() => void purgeAndReschedule(sessions, browser.alarms, Date.now()).catch(logError), STARTUP_PURGE_DELAY_MS);
  void updateBadge(approvals);
  return deps;
}

async function updateBadge(approvals: ApprovalQueue): Promise<void> {
  const waiting = (await approvals.pending()).length;
  await browser.action.setBadgeBackgroundColor({ color: '#4f46e5' });
  await browser.action.setBadgeText({ text: waiting ? String(waiting) : '' });
}

function logError(err: unknown): void {
  // Names only: a message could quote a value, and values may be secret.
  console.error('Keyhold:', err instanceof Error ? err.name : typeof err);
}

const ready = start();
ready.catch(logError);

browser.runtime.onConnect.addListener((port) => {
  const origin = port.name === PAGE_PORT ? pageOrigin(port.sender ?? {}, runtimeId) : null;
  if (!origin) {
    port.disconnect();
    return;
  }
  servePagePort(port as unknown as PortLike, origin, ready);
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (!isRpcMessage(message) || (message as { event?: unknown }).event !== undefined) return undefined;
  if (!isExtensionPage(sender, runtimeId, extensionBaseUrl)) return Promise.resolve(refusedRpc());
  return ready.then((deps) => answerRpc(deps, message));
});

browser.windows.onRemoved.addListener((windowId) => {
  void ready.then(async (deps) => {
    if (await approvalWindow.closed(windowId)) {
      await deps.approvals.rejectAll();
      deps.notifyPages();
    }
  });
});

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== PURGE_ALARM) return;
  void ready.then((deps) => purgeAndReschedule(deps.sessions, browser.alarms, Date.now())).catch(logError);
});
