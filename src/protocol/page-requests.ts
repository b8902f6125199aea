/**
 * What a page sends: the raw EIP-1193 `params` of every page method, exactly as
 * `docs/page-api.md` writes them (base64 and hex text, defaults left out), and the typed
 * `request` that pairs them with each method's result. `page-api.ts` holds the params after
 * validation; this file holds them before. The provider (`src/provider`) and the dapp client
 * (`packages/client`) both take their `request` type from here, so a dapp in TypeScript gets
 * the right result type without a cast, and a wrong method or params fail to compile.
 * @module
 */
import type { MasterKind, PageMethod, PageMethods, Role, SignEncoding } from './page-api.js';
import type { PermissionRequest, TypedData } from './wallet-api.js';

/** `keyhold_createSession` params[0], as a page writes it. */
export interface CreateSessionRequest {
  /** Integer, 60 … 604800. */
  ttlSeconds: number;
  role?: Role;
  subaccountIndex?: number | null;
  /** u16 list; absent or null: any request type. */
  requestTypes?: number[] | null;
  label?: string | null;
  /** `address`: the 0x account whose wallet signs `loginMessage`; absent, Keyhold's vault signs. */
  service?: { baseUrl: string; master?: MasterKind; address?: string };
  requiresUnlock?: boolean;
}

/**
 * `keyhold_signRequest` params[0]: `body` is standard base64, or the bytes themselves (Firefox,
 * Chromium 148+; see docs/page-api.md).
 */
export interface SignRequestRequest {
  sessionId: string;
  requestType: number;
  body: string | Uint8Array;
  encoding?: SignEncoding;
}

/** A WebAuthn assertion for `keyhold_completeSession`, each field standard base64. */
export interface PasskeyAssertionRequest {
  credentialId: string;
  authenticatorData: string;
  clientDataJSON: string;
  signature: string;
}

/** `keyhold_completeSession` params[0]: exactly one of `signature` (0x-hex r‖s‖v) or `passkey`. */
export type CompleteSessionRequest =
  | { sessionId: string; signature: string; passkey?: never }
  | { sessionId: string; passkey: PasskeyAssertionRequest; signature?: never };

/** `keyhold_send` params[0]: `body` is standard base64; `path` starts with one "/". */
export interface SendRequest {
  sessionId: string;
  path: string;
  requestType: number;
  body: string;
}

/** No params: absent, or an empty array. */
type NoParams = [] | undefined;

/** The raw `params` of every page method. Same keys as `PageMethods` (checked below). */
export interface PageRequestParams {
  keyhold_createSession: [CreateSessionRequest];
  keyhold_listSessions: NoParams;
  keyhold_signRequest: [SignRequestRequest];
  keyhold_revokeSession: [{ sessionId: string }];
  keyhold_completeSession: [CompleteSessionRequest];
  keyhold_send: [SendRequest];
  eth_requestAccounts: NoParams;
  eth_accounts: NoParams;
  eth_chainId: NoParams;
  /** `[data, address]`: data is 0x-hex bytes or plain text. */
  personal_sign: [data: string, address: string];
  /** `[data, signature]`: the signer's address of a `personal_sign` signature. */
  personal_ecRecover: [data: string, signature: string];
  wallet_switchEthereumChain: [{ chainId: string }];
  /** EIP-3085. */
  wallet_addEthereumChain: [
    {
      chainId: string;
      chainName: string;
      rpcUrls: string[];
      nativeCurrency?: { name: string; symbol: string; decimals: number } | null;
      blockExplorerUrls?: string[] | null;
      iconUrls?: string[] | null;
    },
  ];
  /** `[address, typedData]`: typed data as an object or its JSON. */
  eth_signTypedData_v4: [address: string, typedData: TypedData | string];
  wallet_requestPermissions: [PermissionRequest];
  wallet_getPermissions: NoParams;
  wallet_revokePermissions: [PermissionRequest];
  /** `service`: where the key is registered, so that revoking it revokes it there too. */
  keyhold_createApiKey: [{ name: string; validUntil: number; service?: { baseUrl: string } }];
}

// A page method missing here, or a method here that the worker lacks, fails to compile.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
export const PAGE_REQUESTS_COVER_PAGE_METHODS: SameKeys<PageRequestParams, PageMethods> = true;

/** `{method, params}` for method `M`; `params` may be left out where the method takes none. */
export type PageRequestArgs<M extends PageMethod> = undefined extends PageRequestParams[M]
  ? { readonly method: M; readonly params?: PageRequestParams[M] }
  : { readonly method: M; readonly params: PageRequestParams[M] };

/** What method `M` resolves to. `keyhold_signRequest` narrows by its `encoding`. */
export type PageRequestResult<M extends PageMethod> = PageMethods[M]['result'];

/**
 * The provider's EIP-1193 `request`, typed per method: the promise resolves to that method's
 * result and rejects with a `ProviderRpcError` (`{code, message, data?}`).
 */
export type KeyholdRequest = <M extends PageMethod>(args: PageRequestArgs<M>) => Promise<PageRequestResult<M>>;

/** The provider object a page finds at `window.keyhold` and by EIP-6963 (`rdns: "dev.keyhold"`). */
export interface KeyholdProviderApi {
  readonly isKeyhold: true;
  request: KeyholdRequest;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
}
