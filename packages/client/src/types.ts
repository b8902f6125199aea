/**
 * The client's types. The page API's own shapes come from the one protocol in `src/protocol`
 * (the extension's), so the client and Keyhold cannot disagree; the client adds the decoded
 * bytes beside the base64 the page API answers.
 * @module
 */
import type { JsonEnvelope, RevokeResult, Role, SendResult, SessionInfo } from '../../../src/protocol/page-api.js';
import type { KeyholdProviderApi } from '../../../src/protocol/page-requests.js';

export type {
  JsonEnvelope,
  FrameResult,
  MasterKind,
  PageMethod,
  PageMethods,
  RevokeResult,
  Role,
  SendResult,
  SessionInfo,
  SessionStatus,
  SignEncoding,
} from '../../../src/protocol/page-api.js';
export type {
  CompleteSessionRequest,
  CreateSessionRequest,
  KeyholdRequest,
  PageRequestArgs,
  PageRequestParams,
  PageRequestResult,
  PasskeyAssertionRequest,
  SendRequest,
  SignRequestRequest,
} from '../../../src/protocol/page-requests.js';

/** The Keyhold provider: EIP-1193, with `request` typed per method. */
export type KeyholdProvider = KeyholdProviderApi;

/** Any EIP-1193 wallet (MetaMask, Keyhold's own, viem's custom transports…). */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

/** A session as Keyhold answers it, plus its public key (and pending login) decoded. */
export type Session = SessionInfo & {
  /** `publicKey` decoded: the 32-byte Ed25519 key. */
  publicKeyBytes: Uint8Array;
  /** `loginPayload` decoded (pending service sessions). */
  loginPayloadBytes?: Uint8Array;
};

/** `createSession` options: the page API's params (`CreateSessionRequest`). */
export interface CreateSessionOptions {
  ttlSeconds: number;
  role?: Role;
  subaccountIndex?: number | null;
  requestTypes?: number[] | null;
  label?: string | null;
  /**
   * Log the session in at this service. `address`: the 0x account whose wallet signs the login
   * (then complete it with `completeWithWallet`); absent, Keyhold's vault signs in its window.
   */
  service?: { baseUrl: string; master?: 'secp256k1' | 'passkey'; address?: string };
  requiresUnlock?: boolean;
}

/** A JSON-envelope signature: the envelope to post as is, and its parts decoded. */
export interface SignedEnvelope {
  /** What the page API answered: `{payload, public_key, signature}`, standard base64. Post it as JSON. */
  envelope: JsonEnvelope;
  payload: Uint8Array;
  publicKey: Uint8Array;
  signature: Uint8Array;
}

/** A binary-frame signature (`spec/signing.md` §6.2). */
export interface SignedFrame {
  /** The frame bytes: post them as `application/octet-stream`. */
  frame: Uint8Array;
  /** What the page API answered: the frame, standard base64. */
  base64: string;
}

/** `send`'s answer: the service's status and its JSON (or text). */
export type SendAnswer<T = unknown> = Omit<SendResult, 'body'> & { body: T };

export type { RevokeResult as RevokeAnswer };
