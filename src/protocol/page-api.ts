/**
 * The page API: every method a web page may call through the Keyhold provider, with the exact
 * shapes of its params and result. This map is the contract; a wrong call fails to compile.
 * @module
 */

/** What a session key may do at its service. */
export type Role = 'TRADING_ONLY' | 'FULL_ACCESS';
export const ROLES: readonly Role[] = ['TRADING_ONLY', 'FULL_ACCESS'];

/** `keyhold_createSession` params, after validation and defaults. */
export interface CreateSessionParams {
  ttlSeconds: number;
  role: Role;
  subaccountIndex: number | null;
  /** Sorted, without duplicates; `null` means any request type. */
  requestTypes: number[] | null;
  label: string | null;
}

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
}

export type SignEncoding = 'json' | 'binary';

/** `keyhold_signRequest` params, after validation (body decoded). */
export interface SignRequestParams {
  sessionId: string;
  requestType: number;
  body: Uint8Array;
  encoding: SignEncoding;
}

/** The JSON envelope of the reference services, each field standard base64. */
export interface JsonEnvelope {
  payload: string;
  public_key: string;
  signature: string;
}

/** The binary frame, standard base64. */
export interface FrameResult {
  frame: string;
}

export interface SessionIdParams {
  sessionId: string;
}

/** Every page method: its validated params and its result. */
export interface PageMethods {
  keyhold_createSession: { params: CreateSessionParams; result: SessionInfo };
  keyhold_listSessions: { params: null; result: SessionInfo[] };
  keyhold_signRequest: { params: SignRequestParams; result: JsonEnvelope | FrameResult };
  keyhold_revokeSession: { params: SessionIdParams; result: { revoked: true } };
}
export type PageMethod = keyof PageMethods;

/** Methods that may wait on the user; the router never batches their answers with others. */
export const INTERACTIVE_METHODS: ReadonlySet<PageMethod> = new Set<PageMethod>(['keyhold_createSession']);
