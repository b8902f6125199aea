/**
 * The page API: every method a web page may call through the Keyhold provider, with the exact
 * shapes of its params and result. This map is the contract; a wrong call fails to compile.
 * @module
 */
import { WALLET_INTERACTIVE, type WalletMethods } from './wallet-api.js';
import type { SessionDescriptor } from './descriptor.js';
import type { SessionPolicy } from './policy.js';
import type { JsonEnvelope } from '../wire/envelope.js';

/** What a session key may do at its service. */
export type Role = 'TRADING_ONLY' | 'FULL_ACCESS';
export const ROLES: readonly Role[] = ['TRADING_ONLY', 'FULL_ACCESS'];

/** Which kind of master key signs a service login. */
export type MasterKind = 'secp256k1' | 'passkey';
export const MASTER_KINDS: readonly MasterKind[] = ['secp256k1', 'passkey'];

/** The service a session logs in to. */
export interface ServiceParams {
  /** An http(s) origin (http only for loopback hosts); endpoints are `baseUrl + "/api/v1/…"`. */
  baseUrl: string;
  /** The master that will sign the login when the page brings its own: decides the payload's signature type. */
  master: MasterKind;
  /**
   * The 0x account that will sign `loginMessage` when the page's own wallet signs (a SIWE
   * message names its signer). Lower case after validation. Absent: Keyhold's vault signs, in
   * its own window.
   */
  address?: string;
}

/** `keyhold_createSession` params, after validation and defaults. */
export interface CreateSessionParams {
  ttlSeconds: number;
  role: Role;
  subaccountIndex: number | null;
  /** Sorted, without duplicates; `null` means any request type. */
  requestTypes: number[] | null;
  label: string | null;
  /** Absent: a local session (the page sends its own requests). */
  service?: ServiceParams;
  /** Set: the key signs only while the vault is unlocked (default false). */
  requiresUnlock?: boolean;
  /** What the worker enforces before it signs (see `spec/descriptor.md` and `docs/page-api.md`). */
  policy?: SessionPolicy;
  /** The page's descriptor (`source: "site"`), or the service's own once fetched (`"service"`). */
  descriptor?: SessionDescriptor;
}

/** Where a service session stands: `pending` until its login is accepted. */
export type SessionStatus = 'pending' | 'active';

/** A session as the page sees it. Never carries key material beyond the public key. */
export interface SessionInfo {
  /** UUID (v7) string. */
  id: string;
  /** The 32-byte Ed25519 public key, standard base64. */
  publicKey: string;
  role: Role;
  subaccountIndex: number | null;
  requestTypes: number[] | null;
  label: string | null;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  validUntil: string;
  /**
   * Service sessions only. `sessionId`: the id the service assigned the session at login, when
   * it is not `id` (services may assign their own); the service's rows and logouts use it.
   */
  service?: { baseUrl: string; sessionId?: string };
  /** Service sessions only. */
  status?: SessionStatus;
  /** Pending service sessions only: the exact bytes for the page's own master to sign, standard base64. */
  loginPayload?: string;
  /** Pending service sessions only: the same bytes as text (a SIWE message), for `personal_sign`. */
  loginMessage?: string;
  /** The policy as granted (after any tightening by the user); absent when the session has none. */
  policy?: SessionPolicy;
}

/**
 * `json` and `binary` answer base64 strings; `bytes` (an addition) answers the JSON envelope's
 * three fields as `Uint8Array`s, which cross to the page without base64.
 */
export type SignEncoding = 'json' | 'binary' | 'bytes';

/** `keyhold_signRequest` params, after validation (body decoded). */
export interface SignRequestParams {
  sessionId: string;
  requestType: number;
  body: Uint8Array;
  encoding: SignEncoding;
}

/** The JSON envelope of the reference services, each field standard base64 (built by `src/wire/envelope.ts`). */
export type { JsonEnvelope };

/** The JSON envelope's fields as bytes (`encoding: 'bytes'`). */
export interface BytesEnvelope {
  payload: Uint8Array;
  public_key: Uint8Array;
  signature: Uint8Array;
}

/** The binary frame, standard base64. */
export interface FrameResult {
  frame: string;
}

export interface SessionIdParams {
  sessionId: string;
}

/** The page's own master's signature over `loginPayload`. */
export type LoginProof =
  /** 65 bytes r‖s‖v (v 27|28) from `personal_sign` of `loginMessage` (the bytes of `loginPayload`). */
  | { kind: 'secp256k1'; signature: Uint8Array }
  /** A WebAuthn assertion whose challenge is SHA-256(loginPayload); each field raw bytes. */
  | { kind: 'passkey'; credentialId: Uint8Array; authenticatorData: Uint8Array; clientDataJSON: Uint8Array; signature: Uint8Array };

export interface CompleteSessionParams {
  sessionId: string;
  proof: LoginProof;
}

export interface SendParams {
  sessionId: string;
  /** Starts with "/": appended to the session's service origin. */
  path: string;
  requestType: number;
  body: Uint8Array;
}

/** What the service answered: its status and its JSON (or its text when not JSON). */
export interface SendResult {
  status: number;
  body: unknown;
}

export interface RevokeResult {
  revoked: true;
  /** Service sessions only: whether the service confirmed, or delivery is queued and retried. */
  service?: 'revoked' | 'pending';
}

/** Every page method: its validated params and its result. */
export interface PageMethods extends WalletMethods {
  keyhold_createSession: { params: CreateSessionParams; result: SessionInfo };
  keyhold_listSessions: { params: null; result: SessionInfo[] };
  keyhold_signRequest: { params: SignRequestParams; result: JsonEnvelope | FrameResult | BytesEnvelope };
  keyhold_revokeSession: { params: SessionIdParams; result: RevokeResult };
  keyhold_completeSession: { params: CompleteSessionParams; result: SessionInfo };
  keyhold_send: { params: SendParams; result: SendResult };
}
export type PageMethod = keyof PageMethods;

/**
 * `keyhold_send` requests one site may have in flight at once: past it, -32005 at once and
 * nothing is signed. The worker holds each until its service answers (up to its timeout), so
 * this is what keeps its memory bounded whatever a page sends; the relay holds each page to
 * the same number, so the excess never even reaches the worker.
 */
export const MAX_SENDS_IN_FLIGHT = 64;

/**
 * Methods that may wait on the user or on a service; the router answers each on its own, so a
 * pending approval or a slow service never holds back the signatures batched with it.
 */
export const UNBATCHED_METHODS: ReadonlySet<string> = new Set<PageMethod>([
  'keyhold_createSession',
  'keyhold_completeSession',
  'keyhold_send',
  'keyhold_revokeSession',
  ...WALLET_INTERACTIVE,
]);
