/**
 * The worker beyond its hot path: every store and effect but the signing stores
 * (`signing-start.ts`), the start-up chores, and what the extension pages, the alarms and the
 * windows ask. `index.ts` loads it by `import()`: when an event needs it, or a little after
 * the signing stores are up (`REST_START_DELAY_MS` there). The Firefox build makes it a
 * script of its own, parsed only then; Chromium's bundle keeps it inline, evaluated only then
 * (`scripts/build.ts`).
 * @module
 */
import browser from 'webextension-polyfill';
import { RPC_CHANNEL, type EventMessage, type ExtensionEvent, type RpcResponse } from '../src/protocol/extension-rpc.js';
import { ApprovalQueue } from './approvals/queue.js';
import { ApprovalWindow } from './approvals/window.js';
import { MIN_ALARM_DELAY_MS } from './platform/alarms.js';
import { logAt } from './platform/log.js';
import type { SigningDeps, WorkerDeps } from './deps.js';
import { answerRpc } from './router/extension-rpc.js';
import type { PortRegistry } from './router/port-registry.js';
import { fetchClient } from './services/http.js';
import { REVOCATION_ALARM, Revocations } from './services/revocations.js';
import { PURGE_ALARM, purgeAndReschedule, rescheduleOnly } from './sessions/purge.js';
import type { PolicyEnforcer } from './policy/enforcer.js';
import { fetchDescriptors } from './descriptors/fetch.js';
import { StorageCheck } from './storage/check.js';
import { AUTOLOCK_ALARM, alarmLockTimer } from './vault/auto-lock.js';
import { lockAnnouncer } from './wallet/lock-events.js';
import { Vault } from './vault/vault.js';
import { Permissions } from './wallet/permissions.js';
import type { SigningStores } from './signing-start.js';

const extensionOrigin = browser.runtime.getURL('').replace(/\/$/, '');
/** One approval window per worker life (it remembers when it was raised). */
const approvalWindow = new ApprovalWindow(browser.windows, browser.storage.session, browser.runtime.getURL('approval.html'), () =>
  broadcast('approval-window:raised'),
);

/** The whole worker, as `index.ts` serves its events. */
export interface Worker {
  deps: WorkerDeps;
  answerRpc(message: unknown): Promise<RpcResponse>;
  onAlarm(name: string): void;
  onWindowRemoved(windowId: number): void;
}

/**
 * Builds the rest of the worker on the signing stores, and starts its chores: purging expired
 * sessions, delivering owed revocations, checking storage, the badge.
 */
export function startWorker(stores: SigningStores, signing: SigningDeps, pagePorts: PortRegistry): Worker {
  const { db, sessions, policies, audit } = stores;
  const approvals = new ApprovalQueue(browser.storage.session);
  const http = fetchClient();
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
  const deps: WorkerDeps = {
    ...signing,
    descriptors: fetchDescriptors(),
    approvals,
    revocations,
    http,
    showApprovals: () => approvalWindow.show(),
    approvalsRaisedAt: () => approvalWindow.raisedAt,
    closeApprovalsIfIdle: () => approvalWindow.closeIfIdle(async () => (await approvals.pending()).length > 0),
    tellExtensionPages: (event) => {
      void updateBadge(approvals, revocations, policies);
      broadcast(event);
    },
    schedulePurge: () => void rescheduleOnly(sessions, browser.alarms, Date.now()).catch(logAt('purge schedule')),
    extensionOrigin,
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
      origin: extensionOrigin,
      now: Date.now,
    }),
  };
  void purgeAndReschedule(sessions, browser.alarms, Date.now()).catch(logAt('session purge'));
  void policies.states.purgeExpired(Date.now()).catch(logAt('policy state purge'));
  // Revocations still owed to services go out at every worker start.
  void revocations.deliverAll().catch(logAt('revocation delivery'));
  // What the browser grants our storage, checked (and logged when evictable) at every start.
  void deps.storage.status().catch(logAt('storage check'));
  // The browser keeps the badge across worker restarts; it is brought up to date here.
  void updateBadge(approvals, revocations, policies).catch(logAt('badge'));
  return {
    deps,
    answerRpc: (message) => answerRpc(deps, message),
    onAlarm(name) {
      if (name === PURGE_ALARM) {
        void purgeAndReschedule(sessions, browser.alarms, Date.now()).catch(logAt('session purge'));
        void policies.states.purgeExpired(Date.now()).catch(logAt('policy state purge'));
      } else if (name === AUTOLOCK_ALARM) {
        void deps.vault.lockIfIdle().catch(logAt('auto-lock'));
      } else if (name === REVOCATION_ALARM) {
        void revocations.deliverDue().catch(logAt('revocation delivery'));
      }
    },
    onWindowRemoved(windowId) {
      void (async () => {
        if (await approvalWindow.closed(windowId)) {
          await approvals.rejectAll();
          deps.tellExtensionPages('popup:approvals-changed');
        }
      })().catch(logAt('approval window closed'));
    },
  };
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
