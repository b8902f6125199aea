/**
 * The extension-page RPC: what the popup and the approval window may ask the worker. The worker
 * accepts these only from its own extension pages (decided from `sender`, never the payload).
 * @module
 */
import { fieldsOf } from './fields.js';
import type { SerializedError } from './errors.js';
import type { VaultMethods } from './vault-rpc.js';
import type { ApiKeyApproval, ApiKeyResult, ChainApproval, ConnectApproval, PersonalSignApproval, TypedDataApproval } from './wallet-api.js';
import type { CreateSessionParams, RevokeResult, SessionInfo } from './page-api.js';
import type { BinaryPreview, BodyPreview } from '../policy/body-preview.js';
import type { DescriptorSource, Risk } from './descriptor.js';
import type { PolicyRuleName, SessionPolicy } from './policy.js';

/** A signature of a `confirmTypes` type, waiting for the user's click. */
export interface ConfirmSignApproval {
  sessionId: string;
  label: string | null;
  requestType: number;
  /** From the session's descriptor, when it names the type. */
  typeName?: string;
  risk?: Risk;
  /** Whose word the name is: the service's own descriptor, or the site's. */
  describedBy?: DescriptorSource;
  /** The descriptor's summary, filled from the body. */
  summary?: string;
  body: BodyPreview;
}

export const RPC_CHANNEL = 'dev.keyhold/rpc';

/**
 * How long Approve stays disabled after the approval window is shown, focused or brought
 * forward, or its content changes: a click or key press already on its way must not approve.
 */
export const APPROVE_ARM_MS = 500;

/**
 * What the worker broadcasts to its own pages (`{channel: RPC_CHANNEL, event}`), each named by
 * who hears it. `popup:` events are for every page of `popup/` (the toolbar popup and the
 * approval window); `approval-window:` ones for the approval window alone. A page reloads what
 * the event names; events carry no data. (Events for web pages are EIP-1193 events,
 * `PageEvent` in `envelope.ts`, pushed to one site's pages or to every site's.)
 */
export interface ExtensionEvents {
  /** The approval queue changed: a request was queued, decided, or rejected with its window. */
  'popup:approvals-changed': true;
  /** Sessions, connected sites, revocations owed or the activity log changed. */
  'popup:sessions-changed': true;
  /** The vault changed: created, locked, unlocked, its accounts or settings. */
  'popup:vault-changed': true;
  /** The worker brought the open approval window forward: Approve re-arms. */
  'approval-window:raised': true;
}
export type ExtensionEvent = keyof ExtensionEvents;

/** The broadcast message of `event`. */
export interface EventMessage<E extends ExtensionEvent = ExtensionEvent> {
  channel: typeof RPC_CHANNEL;
  event: E;
}

/** Whether `message` is the worker's broadcast of one of `events` (a listener's only check). */
export function isEventMessage(message: unknown, events: readonly ExtensionEvent[]): message is EventMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = fieldsOf<EventMessage>(message);
  return m.channel === RPC_CHANNEL && events.some((e) => e === m.event);
}

/**
 * Every kind of request that waits for the user: what the approval window shows (`params`) and
 * what approving it produces (`result`, kept with the approval so a replayed request finds it).
 * A new kind is added here, with its action in `background/approvals/actions.ts` and its view
 * in `popup/components/`.
 */
export interface ApprovalKinds {
  createSession: { params: CreateSessionApproval; result: { sessionId: string } };
  /** A site asks to see the wallet's accounts (eth_requestAccounts, wallet_requestPermissions). */
  connect: { params: ConnectApproval; result: { accounts: string[] } };
  /** personal_sign (EIP-191), SIWE recognised. */
  personalSign: { params: PersonalSignApproval; result: { signature: string } };
  /** eth_signTypedData_v4 (EIP-712). */
  signTypedData: { params: TypedDataApproval; result: { signature: string } };
  /** keyhold_createApiKey: an Ed25519 key, its create message signed by the master. */
  createApiKey: { params: ApiKeyApproval; result: ApiKeyResult };
  /** wallet_switchEthereumChain / wallet_addEthereumChain: the active chain changes (and a new one is kept). */
  switchChain: { params: ChainApproval; result: { chainId: string } };
  /** A signature of a session's `confirmTypes`: approving lets the waiting signature go. */
  confirmSign: { params: ConfirmSignApproval; result: { confirmed: true } };
}
export type ApprovalKind = keyof ApprovalKinds;

/** A host split for display, computed by the worker from the Public Suffix List. */
export interface HostSplit {
  /** The labels before the registrable domain, with their trailing dot ("" when none). */
  subdomain: string;
  /** The registrable domain (the whole host for an IP address or `localhost`). */
  domain: string;
}

/**
 * Who signs a service session's login, at which service, for which site: what the window must
 * show before any master signs (ARCHITECTURE invariant 9).
 */
export interface LoginConsent {
  /** The requesting site's origin (from the browser). */
  site: string;
  /** The service's origin: the login's audience. */
  service: string;
  siteHost: HostSplit;
  serviceHost: HostSplit;
  /** `vault`: Keyhold's own account signs, on this approval. `page`: the page's own wallet or passkey signs `loginMessage`. */
  signer: 'vault' | 'page';
  /** The checksummed account that signs (null: a passkey, or no vault account yet). */
  account: string | null;
  /** The service's registrable domain is not the site's: approving needs a second, deliberate confirmation. */
  crossSite: boolean;
}

/** A session request as the window shows it: the page's params, and for a service session its login. */
export type CreateSessionApproval = CreateSessionParams & { login?: LoginConsent };

/**
 * The page that asks, in its own words, as the browser described its tab when it asked (see
 * `background/approvals/page-facts.ts`): never verified, so the window marks it as the site's.
 */
export interface PageFacts {
  /** The tab's title, cleaned and bounded. */
  title?: string;
  /** The tab's icon, only when the browser gave it as a small raster `data:` image. */
  icon?: string;
}

/** Who asks, as the window leads with it. */
export interface SiteView extends PageFacts {
  /** The origin's registrable domain (the worker's Public Suffix List; the host for an IP or `localhost`). */
  domain: string;
}

/** A request waiting for the user, as the approval window shows it. */
export type ApprovalView = {
  [K in ApprovalKind]: {
    id: string;
    /** The requesting origin, from the browser. */
    origin: string;
    /** ms since the epoch. */
    createdAt: number;
    kind: K;
    params: ApprovalKinds[K]['params'];
    /**
     * Each host the request shows (the origin's, a service's) split by the worker's Public
     * Suffix List, keyed by hostname: the window sets the registrable domain apart.
     */
    hosts?: Record<string, HostSplit>;
    /** Who asks: the verified registrable domain, and the page's title and icon in its own words. */
    site?: SiteView;
  };
}[ApprovalKind];

/** A revocation Keyhold has not yet delivered to its service. Never carries a key. */
export interface RevocationView {
  sessionId: string;
  origin: string;
  baseUrl: string;
  /** ms since the epoch. */
  revokedAt: number;
  attempts: number;
  /** ms since the epoch. */
  nextAttemptAt: number;
  lastError: string | null;
}

/** A session of the vault's master at a service, as the service lists it (ListSessions). */
export interface ServiceSessionView {
  id: string;
  publicKey: string;
  role: 'TRADING_ONLY' | 'FULL_ACCESS';
  subaccountIndex: number | null;
  createdAt: string | null;
  validUntil: string | null;
  /** Whether this browser holds the session's key. */
  heldHere: boolean;
}

export interface RevokeManyResult {
  revoked: number;
  /** Of those, service sessions whose logout is still being delivered. */
  pending: number;
}

/** What a master-key signature was for, as the activity log names it. */
export type MasterSignMethod = 'personal_sign' | 'eth_signTypedData_v4' | 'login' | 'apiKey-create' | 'apiKey-revoke' | 'ListSessions' | 'RevokeSession';

/** The kinds of activity-log line. `storage-evictable`: a worker start found that the browser may evict Keyhold's storage. */
export type AuditKind = 'sign' | 'session-created' | 'session-revoked' | 'master-sign' | 'policy-refused' | 'session-paused' | 'session-resumed' | 'storage-evictable';

/**
 * One line of the activity log. Never key material, never a body. The worker's stored record
 * (`AuditRecord` in `background/db.ts`) is this plus its key.
 */
export interface ActivityView {
  /** ms since the epoch. */
  at: number;
  /** The site's origin; Keyhold's own for `storage-evictable`. */
  origin: string;
  kind: AuditKind;
  /** The session (or API key) concerned; absent for a master signature that names none, and for `storage-evictable`. */
  sessionId?: string;
  /** `master-sign`: what the vault's master key signed (a method name or a service call; `login` is a service session's). Never the message. */
  method?: MasterSignMethod;
  /** `master-sign`: the vault account that signed, lower case. */
  account?: string;
  requestType?: number;
  /** `sign`, `policy-refused`: the request type's name and risk, when the session's descriptor describes it. */
  typeName?: string;
  risk?: Risk;
  /** UUID string of the signed payload's request id. */
  requestId?: string;
  /** `policy-refused`: the rule that refused. */
  policy?: PolicyRuleName;
  /** `sign`: the request in words, from the descriptor's summary template; a binary body's size. */
  summary?: string;
  /** `sign`, a binary body of a type a descriptor describes: its size and first 32 bytes in hex (bounded). */
  bodyPreview?: BinaryPreview;
  /** `session-paused`: by the user or by itself (`auto`). */
  by?: 'user' | 'auto';
}

/**
 * What the browser grants Keyhold's storage, as the worker's check at start found it
 * (`background/storage/`).
 */
export interface StorageStatusView {
  /** `persistent`: exempt from eviction as the browser reports it; `evictable`: best-effort. */
  state: 'persistent' | 'evictable';
  /**
   * What showed it: `persisted` (`navigator.storage.persisted()` is true), `unlimited` (the
   * `unlimitedStorage` permission granted, and a quota larger than any best-effort share);
   * null when evictable.
   */
  basis: 'persisted' | 'unlimited' | null;
  /** Bytes, from `navigator.storage.estimate()`; null when the browser does not say. */
  quota: number | null;
  usage: number | null;
  /** `navigator.storage.persisted()`; null where the browser does not report it. */
  persisted: boolean | null;
  /** Whether the browser granted the `unlimitedStorage` permission. */
  unlimitedStorage: boolean;
  /** ms since the epoch. */
  checkedAt: number;
}

/** A session as the popup shows it: every origin's, with its origin. */
export interface SessionView extends SessionInfo {
  origin: string;
  /** API keys only: the service revoking it also revokes it at (null when the page named none). */
  apiKey?: { baseUrl: string | null };
  /** Set while the session is paused. */
  paused?: { at: number; by: 'user' | 'auto' };
  /** The capped sums used so far, in `policy.caps` order. */
  capSums?: number[];
  /** The session's descriptor: its request types' names and risk, and whose word they are. */
  descriptor?: { source: DescriptorSource; name: string; requestTypes: Record<string, { name: string; risk: Risk }> };
}

export interface ExtensionMethods {
  /** Pending approvals, oldest first. */
  approval_list: { params: Record<string, never>; result: ApprovalView[] };
  /** `accounts`: for a connect approval, the vault accounts the user picked for the site (default: the selected one). */
  /** `acknowledged`: the user's second, deliberate confirmation where a request needs one (a SIWE message for another site). */
  approval_decide: { params: { approvalId: string; approve: boolean; acknowledged?: boolean; accounts?: string[]; policy?: SessionPolicy }; result: { ok: true } };
  /** The approval window's queue looks empty: the worker closes it, unless something new is waiting. */
  approval_windowIdle: { params: Record<string, never>; result: { closed: boolean } };
  /** Every live session of every origin, newest first. */
  session_listAll: { params: Record<string, never>; result: SessionView[] };
  session_revoke: { params: { sessionId: string }; result: RevokeResult };
  /** Revokes every session of one site; answers how many, and how many still owe their service. */
  session_revokeSite: { params: { origin: string }; result: RevokeManyResult };
  /** Panic: revokes every session of every site. */
  session_revokeAll: { params: Record<string, never>; result: RevokeManyResult };
  /** The services the vault's master logged in to itself, sorted: the only ones it lists and revokes at. */
  service_known: { params: Record<string, never>; result: string[] };
  /** The vault master's sessions at a service (ListSessions), from any device; 4100 for a service not in `service_known`. */
  service_listSessions: { params: { baseUrl: string }; result: ServiceSessionView[] };
  /** Revokes one of the master's sessions at a service (master RevokeSession), held here or not; 4100 as above. */
  service_revokeSession: { params: { baseUrl: string; sessionId: string }; result: { revoked: true } };
  /** Pauses a session (its signatures are refused with `paused`, its waiting confirmations rejected). */
  session_pause: { params: { sessionId: string }; result: { paused: true } };
  session_resume: { params: { sessionId: string }; result: { paused: false } };
  /** The activity log, newest first. */
  activity_list: { params: { limit?: number }; result: ActivityView[] };
  /** Revocations still owed to services, oldest first. */
  revocation_list: { params: Record<string, never>; result: RevocationView[] };
  /** What the browser grants Keyhold's storage, as this worker start checked it; `recheck` checks again now. */
  storage_status: { params: { recheck?: boolean }; result: StorageStatusView };
}

/** The vault's extension RPC (`background/vault/rpc.ts`); merged into {@link ExtensionMethods}. */
export interface ExtensionMethods extends VaultMethods {}
export type ExtensionMethod = keyof ExtensionMethods;

export interface RpcRequest<M extends ExtensionMethod = ExtensionMethod> {
  channel: typeof RPC_CHANNEL;
  method: M;
  params: ExtensionMethods[M]['params'];
}

export type RpcResponse<M extends ExtensionMethod = ExtensionMethod> =
  | { ok: true; result: ExtensionMethods[M]['result'] }
  | { ok: false; error: SerializedError };
