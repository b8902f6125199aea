/**
 * What the worker's handlers are given: its stores and the few effects they may cause. Built
 * once per worker start, in two parts: {@link SigningDeps} first (`signing-start.ts`), all a
 * signature waits for after a cold start, then the rest (`worker.ts`, loaded by `import()`).
 * Tests build it with fakes.
 * @module
 */
import type { ApprovalQueue } from './approvals/queue.js';
import type { AuditLog } from './audit/log.js';
import type { HttpClient } from './services/http.js';
import type { Revocations } from './services/revocations.js';
import type { SessionStore } from './sessions/store.js';
import type { PolicyEnforcer } from './policy/enforcer.js';
import type { DescriptorSource } from './descriptors/fetch.js';
import type { StorageCheck } from './storage/check.js';
import type { Vault } from './vault/vault.js';
import type { Permissions } from './wallet/permissions.js';
import type { PageEvent } from '../src/protocol/envelope.js';
import type { ExtensionEvent } from '../src/protocol/extension-rpc.js';

/**
 * What `keyhold_signRequest` needs, built first at every worker start: a cold start's first
 * signature waits for this and nothing else. The gate's rare turns (a session that signs only
 * while the vault is unlocked, a confirmation, an auto-pause to announce) reach the rest
 * through `full()`.
 */
export interface SigningDeps {
  sessions: SessionStore;
  /** Each session's policy at work: counts, pauses, rules. */
  policies: PolicyEnforcer;
  /** The bounded activity log. */
  audit: AuditLog;
  now: () => number;
  /** The whole worker, started (and its code loaded) on first call. */
  full: () => Promise<WorkerDeps>;
}

export interface WorkerDeps extends SigningDeps {
  /** Services' own descriptors (`/.well-known/keyhold.json`), cached. */
  descriptors: DescriptorSource;
  approvals: ApprovalQueue;
  /** Revocations at services, queued until delivered. */
  revocations: Revocations;
  /** Calls to services. */
  http: HttpClient;
  /** Brings up the approval window. */
  showApprovals: () => Promise<void>;
  /** When the open approval window was last brought forward (ms; -Infinity if never). */
  approvalsRaisedAt?: () => number;
  /** Closes the approval window unless approvals wait; answers whether it closed. */
  closeApprovalsIfIdle: () => Promise<boolean>;
  /**
   * Broadcasts to Keyhold's own open pages (the popup, the approval window): what changed, by
   * an event named for who hears it (`ExtensionEvents`). Also refreshes the toolbar badge.
   */
  tellExtensionPages: (event: ExtensionEvent) => void;
  /** Re-arms the expiry purge after the set of sessions changed. */
  schedulePurge: () => void;
  /**
   * Keyhold's own origin, `chrome-extension://<id>` or `moz-extension://<uuid>`: the site named
   * in what the master signs when Keyhold's own pages (the popup) ask.
   */
  extensionOrigin: string;
  /** The master key, encrypted at rest; unlocked into storage.session. */
  vault: Vault;
  /** Sites connected to the wallet. */
  permissions: Permissions;
  /** What the browser grants Keyhold's storage: checked at every worker start. */
  storage: StorageCheck;
  /** Sends EIP-1193 events to the open web pages (tabs, frames) of one site, `origin`. */
  pushToSite: (origin: string, events: PageEvent[]) => void;
  /** Sends EIP-1193 events to the open web pages of every site (`chainChanged`: the chain is Keyhold's, not a site's). */
  pushToEverySite: (events: PageEvent[]) => void;
}
