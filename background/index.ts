/**
 * Entry of the background service worker: wiring only. Every listener is registered
 * synchronously at the top level, so an event that wakes the worker is never missed; work
 * waits behind one readiness gate (`ready`).
 * @module
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { PAGE_PORT } from '../src/protocol/envelope.js';
import { RPC_CHANNEL, type EventMessage, type ExtensionEvent } from '../src/protocol/extension-rpc.js';
import { ApprovalQueue } from './approvals/queue.js';
import { ApprovalWindow } from './approvals/window.js';
import { MIN_ALARM_DELAY_MS } from './platform/alarms.js';
import { logAt, logError } from './platform/log.js';
import { Readiness, notStarted } from './platform/readiness.js';
import { AuditLog } from './audit/log.js';
import { openKeyholdDb } from './db.js';
import type { WorkerDeps } from './deps.js';
import { answerRpc, isRpcMessage, refusedRpc } from './router/extension-rpc.js';
import { servePagePort } from './router/page-port.js';
import { pageFacts } from './approvals/page-facts.js';
import { isExtensionPage, pageOrigin } from './router/sender.js';
import { fetchClient } from './services/http.js';
import { REVOCATION_ALARM, Revocations } from './services/revocations.js';
import { PURGE_ALARM, purgeAndReschedule, rescheduleOnly } from './sessions/purge.js';
import { SessionStore } from './sessions/store.js';
import { PolicyEnforcer } from './policy/enforcer.js';
import { PolicyStates } from './policy/state-store.js';
import { fetchDescriptors } from './descriptors/fetch.js';
import { StorageCheck } from './storage/check.js';
import { PortRegistry } from './router/port-registry.js';
import { AUTOLOCK_ALARM, alarmLockTimer } from './vault/auto-lock.js';
import { lockAnnouncer } from './wallet/lock-events.js';
import { Vault } from './vault/vault.js';
import { Permissions } from './wallet/permissions.js';
import { WORKER_MARKS } from '../src/platform/worker-marks.js';
import { ONBOARDING_PAGE, openOnboardingOnInstall } from './onboarding/open.js';

const STARTUP_PURGE_DELAY_MS = 2_000;
const runtimeId = browser.runtime.id;
const extensionBaseUrl = browser.runtime.getURL('');
/** Live page ports by origin, for pushing EIP-1193 events. */
const pagePorts = new PortRegistry();
const approvalWindow = new ApprovalWindow(browser.windows, browser.storage.session, browser.runtime.getURL('approval.html'), () =>
  broadcast('approval-window:raised'),
);


async function start(): Promise<WorkerDeps> {
  // The browser closed the connection: drop everything built on it; the next event starts again.
  const db = await openKeyholdDb(undefined, () => {
    logError('database connection', new Error('terminated'));
    readiness.reset();
  });
  const sessions = new SessionStore(db);
  const approvals = new ApprovalQueue(browser.storage.session);
  const http = fetchClient();
  const audit = new AuditLog(db);
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const revocations: Revocations = new Revocations({
    db,
    http,
    now: Date.now,
    schedule: (when) => {
      clearTimeout(retryTimer);
      if (when === undefined) return void browser.alarms.clear(REVOCATION_ALARM);
      // The alarm is the durable retry; a sooner one also gets a timer while the worker lives.
      browser.alarms.create(REVOCATION_ALARM, { when: Math.max(when, Date.now() + MIN_ALARM_DELAY_MS) });
      retryTimer = setTimeout(() => void revocations.deliverDue().catch(logAt('revocation delivery')), Math.max(0, when - Date.now()));
    },
    changed: () => void updateBadge(approvals, revocations, policies),
  });
  // Locking and unlocking tell connected sites' pages (accountsChanged), as MetaMask does.
  const announceLock = lockAnnouncer(() => deps);
  const policies = new PolicyEnforcer(new PolicyStates(db), Date.now);
  const deps: WorkerDeps = {
    sessions,
    policies,
    descriptors: fetchDescriptors(),
    approvals,
    revocations,
    http,
    audit,
    showApprovals: () => approvalWindow.show(),
    approvalsRaisedAt: () => approvalWindow.raisedAt,
    closeApprovalsIfIdle: () => approvalWindow.closeIfIdle(async () => (await approvals.pending()).length > 0),
    tellExtensionPages: (event) => {
      void updateBadge(approvals, revocations, policies);
      broadcast(event);
    },
    schedulePurge: () => void rescheduleOnly(sessions, browser.alarms, Date.now()).catch(logAt('purge schedule')),
    now: Date.now,
    extensionOrigin: extensionBaseUrl.replace(/\/$/, ''),
    vault: new Vault({
      db,
      area: browser.storage.session,
      now: Date.now,
      timer: alarmLockTimer(browser.alarms),
      onChange: () => {
        broadcast('popup:vault-changed');
        announceLock();
      },
    }),
    permissions: new Permissions(db),
    pushToSite: (origin, events) => pagePorts.push(origin, events),
    pushToEverySite: (events) => pagePorts.push(null, events),
    storage: new StorageCheck({
      storage: navigator.storage,
      hasUnlimitedStorage: () => browser.permissions.contains({ permissions: ['unlimitedStorage'] }),
      audit,
      area: browser.storage.session,
      origin: extensionBaseUrl.replace(/\/$/, ''),
      now: Date.now,
    }),
  };
  // Purging takes a readwrite transaction on sessions; deferring it keeps it from delaying the
  // first signature after a cold start. The same goes for the rest of the start-up chores.
  setTimeout(() => {
    void purgeAndReschedule(sessions, browser.alarms, Date.now()).catch(logAt('session purge'));
    void policies.states.purgeExpired(Date.now()).catch(logAt('policy state purge'));
    // Revocations still owed to services go out at every worker start.
    void revocations.deliverAll().catch(logAt('revocation delivery'));
    // What the browser grants our storage, checked (and logged when evictable) at every start.
    void deps.storage.status().catch(logAt('storage check'));
    // The badge reads three stores; the browser keeps the badge across worker restarts, so it
    // waits too rather than compete with the first signature's reads.
    void updateBadge(approvals, revocations, policies).catch(logAt('badge'));
  }, STARTUP_PURGE_DELAY_MS);
  return deps;
}

/** Open extension pages (popup, approval window) reload what the event names, or re-arm. */
function broadcast(event: ExtensionEvent): void {
  const message: EventMessage = { channel: RPC_CHANNEL, event };
  // No page open: nobody to tell.
  browser.runtime.sendMessage(message).catch(() => undefined);
}

/**
 * The badge counts approvals waiting; "!" in amber marks a revocation not yet confirmed by its
 * service; "⏸" in red, a session that paused itself after hitting its limits again and again.
 */
async function updateBadge(approvals: ApprovalQueue, revocations: Revocations, policies?: PolicyEnforcer): Promise<void> {
  const [waiting, owed, states] = await Promise.all([approvals.pending(), revocations.pending(), policies?.states.all() ?? []]);
  const autoPaused = states.filter((s) => s.paused?.by === 'auto' && s.validUntil > Date.now());
  const text = waiting.length ? String(waiting.length) : owed.length ? '!' : autoPaused.length ? '⏸' : '';
  await browser.action.setBadgeBackgroundColor({ color: waiting.length ? '#4f46e5' : owed.length ? '#d97706' : autoPaused.length ? '#dc2626' : '#4f46e5' });
  await browser.action.setBadgeText({ text });
  await browser.action.setTitle({
    title: [
      'Keyhold',
      waiting.length ? `${waiting.length} request${waiting.length > 1 ? 's' : ''} waiting for approval` : '',
      owed.length ? `${owed.length} revocation${owed.length > 1 ? 's' : ''} not yet confirmed by the service` : '',
      autoPaused.length ? `${autoPaused.length} session${autoPaused.length > 1 ? 's' : ''} paused after hitting ${autoPaused.length > 1 ? 'their' : 'its'} limits` : '',
    ].filter(Boolean).join(' — '),
  });
}

/** The one start every event waits on; a failed one is tried again by the next event. */
const readiness = new Readiness(start);
const ready = (): Promise<WorkerDeps> => readiness.get();
// Start at once; a failure is logged by `readiness`.
ready().then(() => performance.mark(WORKER_MARKS.ready), () => undefined);

browser.runtime.onConnect.addListener((port) => {
  const origin = port.name === PAGE_PORT ? pageOrigin(port.sender ?? {}, runtimeId) : null;
  if (!origin) {
    port.disconnect();
    return;
  }
  pagePorts.add(origin, port);
  servePagePort(port, origin, ready, pageFacts(port.sender?.tab, origin));
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (!isRpcMessage(message)) return undefined;
  if (!isExtensionPage(sender, runtimeId, extensionBaseUrl)) return Promise.resolve(refusedRpc());
  return ready().then((deps) => answerRpc(deps, message), () => ({ ok: false, error: notStarted().toJSON() }));
});

// A fresh install opens the welcome tab (what sessions are, and the optional vault).
browser.runtime.onInstalled.addListener(({ reason }) => {
  void openOnboardingOnInstall(reason, browser.tabs, browser.runtime.getURL(ONBOARDING_PAGE)).catch(logAt('welcome tab'));
});

browser.windows.onRemoved.addListener((windowId) => {
  void ready().then(async (deps) => {
    if (await approvalWindow.closed(windowId)) {
      await deps.approvals.rejectAll();
      deps.tellExtensionPages('popup:approvals-changed');
    }
  }).catch(logAt('approval window closed'));
});

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === PURGE_ALARM) {
    void ready().then((deps) => purgeAndReschedule(deps.sessions, browser.alarms, Date.now())).catch(logAt('session purge'));
    void ready().then((deps) => deps.policies.states.purgeExpired(Date.now())).catch(logAt('policy state purge'));
  } else if (alarm.name === AUTOLOCK_ALARM) {
    void ready().then((deps) => deps.vault.lockIfIdle()).catch(logAt('auto-lock'));
  } else if (alarm.name === REVOCATION_ALARM) {
    void ready().then((deps) => deps.revocations.deliverDue()).catch(logAt('revocation delivery'));
  }
});

// Every module is evaluated and every listener registered (the bench reads the marks).
performance.mark(WORKER_MARKS.evaluated);
