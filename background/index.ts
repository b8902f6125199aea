/**
 * Entry of the background service worker: wiring only. Every listener is registered
 * synchronously at the top level, so an event that wakes the worker is never missed; work
 * waits behind readiness gates. A start comes in two parts: the signing stores
 * (`signing-start.ts`), all a page's signature waits for, then the rest of the worker
 * (`worker.ts`), loaded by `import()` when an event needs it or a little later, so that a
 * cold start's first signature does not wait for code it does not run.
 * @module
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { PAGE_PORT } from '../src/protocol/envelope.js';
import { logAt, logError } from './platform/log.js';
import { Readiness, notStarted } from './platform/readiness.js';
import type { SigningDeps } from './deps.js';
import { servePagePort } from './router/page-port.js';
import { pageFacts } from './approvals/page-facts.js';
import { isExtensionPage, pageOrigin } from './router/sender.js';
import { isRpcMessage, refusedRpc } from './router/rpc-message.js';
import { PortRegistry } from './router/port-registry.js';
import { openSigningStores, warmSigningStores, type SigningStores } from './signing-start.js';
import type { Worker } from './worker.js';
import { WORKER_MARKS } from '../src/platform/worker-marks.js';
import { ONBOARDING_PAGE, openOnboardingOnInstall } from './onboarding/open.js';

/**
 * How long after the signing stores are up the rest of the worker starts by itself, when no
 * event started it sooner: its chores (purge, owed revocations, storage check, badge) then
 * do not compete with the first signatures.
 */
const REST_START_DELAY_MS = 2_000;
const runtimeId = browser.runtime.id;
const extensionBaseUrl = browser.runtime.getURL('');
/** Live page ports by origin, for pushing EIP-1193 events. */
const pagePorts = new PortRegistry();

/** The browser closed the database connection: drop everything built on it; the next event starts again. */
function onTerminated(): void {
  logError('database connection', new Error('terminated'));
  signingStart.reset();
  workerStart.reset();
}

const signingStart = new Readiness<{ stores: SigningStores; deps: SigningDeps }>(async () => {
  const stores = await openSigningStores(Date.now, onTerminated);
  // Read some sessions ahead while the event that woke the worker is still on its way.
  void warmSigningStores(stores).catch(logAt('sessions read ahead'));
  const { sessions, policies, audit } = stores;
  const deps: SigningDeps = { sessions, policies, audit, now: Date.now, full: () => worker().then((w) => w.deps) };
  return { stores, deps };
});
/** The signing stores; each event asks, so a start that failed is tried again by the next one. */
const signing = (): Promise<SigningDeps> => signingStart.get().then((s) => s.deps);

const workerStart = new Readiness<Worker>(async () => {
  const [{ stores, deps }, { startWorker }] = await Promise.all([signingStart.get(), import('./worker.js')]);
  const started = startWorker(stores, deps, pagePorts);
  performance.mark(WORKER_MARKS.rest);
  return started;
});
/** The whole worker: what every event but a page's signature waits for. */
const worker = (): Promise<Worker> => workerStart.get();

// Start at once; a failure is logged by `Readiness`. The rest follows once the first
// signatures had the worker to themselves (it runs the start-up chores).
signing().then(() => {
  performance.mark(WORKER_MARKS.ready);
  setTimeout(() => void worker().catch(() => undefined), REST_START_DELAY_MS);
}, () => undefined);

browser.runtime.onConnect.addListener((port) => {
  const origin = port.name === PAGE_PORT ? pageOrigin(port.sender ?? {}, runtimeId) : null;
  if (!origin) {
    port.disconnect();
    return;
  }
  pagePorts.add(origin, port);
  servePagePort(port, origin, signing, pageFacts(port.sender?.tab, origin));
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (!isRpcMessage(message)) return undefined;
  if (!isExtensionPage(sender, runtimeId, extensionBaseUrl)) return Promise.resolve(refusedRpc());
  return worker().then((w) => w.answerRpc(message), () => ({ ok: false, error: notStarted().toJSON() }));
});

// A fresh install opens the welcome tab (what sessions are, and the optional vault).
browser.runtime.onInstalled.addListener(({ reason }) => {
  void openOnboardingOnInstall(reason, browser.tabs, browser.runtime.getURL(ONBOARDING_PAGE)).catch(logAt('welcome tab'));
});

browser.windows.onRemoved.addListener((windowId) => {
  void worker().then((w) => w.onWindowRemoved(windowId)).catch(logAt('approval window closed'));
});

browser.alarms.onAlarm.addListener((alarm) => {
  void worker().then((w) => w.onAlarm(alarm.name)).catch(logAt(`alarm ${alarm.name}`));
});

// Every module of the first script is evaluated and every listener registered (the bench reads the marks).
performance.mark(WORKER_MARKS.evaluated);
