/**
 * The EIP-1193 wallet part of the page API: accounts, permissions (EIP-2255), `personal_sign`
 * (EIP-191, with SIWE / EIP-4361 recognised), `eth_signTypedData_v4` (EIP-712) and API keys.
 * Merged into `PageMethods` (`page-api.ts`). Keyhold signs; it never talks to a node or sends a
 * transaction, so the node methods below answer 4200.
 * @module
 */
import { ErrorCode, ProviderRpcError } from './errors.js';

/** EIP-712 typed data as `eth_signTypedData_v4` takes it. */
export interface TypedData {
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  domain: Record<string, unknown>;
  message: Record<string, unknown>;
}

/** `personal_sign` params `[data, address]`, after validation. */
export interface PersonalSignParams {
  /** The bytes to sign: the 0x-hex data decoded, or the UTF-8 of a plain string. */
  message: Uint8Array;
  /** The account asked to sign, lower case. */
  address: string;
}

/** `personal_ecRecover` params `[data, signature]`, after validation. */
export interface EcRecoverParams {
  /** The signed bytes, decoded as for `personal_sign`. */
  message: Uint8Array;
  /** 65 bytes r‖s‖v, v 27|28 or 0|1. */
  signature: Uint8Array;
}

/** `wallet_switchEthereumChain` params `[{chainId}]`. */
export interface SwitchChainParams {
  /** 0x-hex, lower case. */
  chainId: string;
}

/** `wallet_addEthereumChain` params `[{chainId, chainName, rpcUrls, nativeCurrency?, blockExplorerUrls?, iconUrls?}]` (EIP-3085). */
export interface AddChainParams {
  /** 0x-hex, lower case. */
  chainId: string;
  chainName: string;
  rpcUrls: string[];
  nativeCurrency: { name: string; symbol: string; decimals: number } | null;
  blockExplorerUrls: string[];
}

/** `eth_signTypedData_v4` params `[address, typedData]`, after validation. */
export interface SignTypedDataParams {
  address: string;
  typedData: TypedData;
}

/** An EIP-2255 permission, as `wallet_getPermissions` answers. */
export interface Eip2255Permission {
  invoker: string;
  parentCapability: 'eth_accounts';
  caveats: { type: 'restrictReturnedAccounts'; value: string[] }[];
  /** ms since the epoch. */
  date: number;
}

/** `wallet_requestPermissions` / `wallet_revokePermissions` params `[{eth_accounts: {}}]`. */
export interface PermissionRequest {
  eth_accounts: Record<string, never>;
}

/** `keyhold_createApiKey` params `[{name, validUntil}]`. */
export interface CreateApiKeyParams {
  /** 1–64 characters, no control characters. */
  name: string;
  /** ms since the epoch (integer), in the future and at most 365 days ahead. */
  validUntil: number;
  /**
   * The service the page registers the key at (its origin, as `keyhold_createSession`'s
   * `service.baseUrl`). With it, revoking the key (`keyhold_revokeSession`, or the popup)
   * revokes it at `baseUrl + "/api/v1/revokeApiKey"` too, signed by the master.
   */
  service?: { baseUrl: string };
}

/** What `keyhold_createApiKey` answers: the fields the page posts to the service, plus `id`. */
export interface ApiKeyResult {
  /** The key's id for `keyhold_signRequest` (a UUID). */
  id: string;
  /** The Ed25519 public key, 64 lower-case hex digits. */
  publicKey: string;
  /** The master account that signed, checksummed. */
  address: string;
  name: string;
  validUntil: number;
  /** The master's `personal_sign` of the canonical create message (`spec/api-keys.md`). */
  signature: { r: string; s: string; v: number };
}

/** The fields of a Sign-In with Ethereum message (EIP-4361), as parsed. */
export interface SiweFields {
  scheme: string | null;
  domain: string;
  address: string;
  statement: string | null;
  uri: string;
  version: string;
  chainId: number;
  nonce: string;
  issuedAt: string;
  expirationTime: string | null;
  notBefore: string | null;
  requestId: string | null;
  resources: string[];
}

/** What the approval window shows for `personal_sign`. */
export interface PersonalSignApproval {
  address: string;
  /** The message bytes, 0x-hex. */
  messageHex: string;
  /** The message as text when it is valid UTF-8 without control characters (but newlines and tabs). */
  text: string | null;
  siwe: SiweFields | null;
  /** Set when the SIWE domain is not the requesting origin's host: the user must confirm twice. */
  siweDomainMismatch: boolean;
  /**
   * Set when the SIWE message's `address` is not the signing account: the signature would not
   * sign in as the account the message names, and the user must confirm twice. Absent: false.
   */
  siweAddressMismatch?: boolean;
}

export interface TypedDataApproval {
  address: string;
  /** Exactly what is signed: the page's typed data with the fields its types do not declare left out. */
  typedData: TypedData;
  /**
   * The fields the page sent that its `types` do not declare (path and value as JSON), which
   * EIP-712 does not hash: shown marked "not signed". Absent: none.
   */
  unsigned?: { path: string; value: string }[];
}

/** A chain switch (`wallet_switchEthereumChain`) or a new chain (`wallet_addEthereumChain`), as the window shows it. */
export interface ChainApproval {
  /** The active chain now, and its name when known. */
  from: { chainId: string; name: string | null };
  to: { chainId: string; name: string };
  /** Set for `wallet_addEthereumChain` of a chain Keyhold did not know: what the page says of it. */
  add: { rpcUrls: string[]; nativeCurrency: { name: string; symbol: string; decimals: number } | null; blockExplorerUrls: string[] } | null;
}

export interface ConnectApproval {
  /** The vault's accounts, any of which the user may let the site see. */
  accounts: string[];
  /** Their names, in the same order. */
  names?: string[];
  /** The one ticked by default (the vault's selected account). */
  selected?: string;
}

export interface ApiKeyApproval {
  name: string;
  validUntil: number;
  address: string;
  /** The service the key is for, when the page named one. */
  service?: { baseUrl: string };
}

/** Every wallet page method: validated params and result. */
export interface WalletMethods {
  eth_requestAccounts: { params: null; result: string[] };
  eth_accounts: { params: null; result: string[] };
  eth_chainId: { params: null; result: string };
  personal_sign: { params: PersonalSignParams; result: string };
  personal_ecRecover: { params: EcRecoverParams; result: string };
  wallet_switchEthereumChain: { params: SwitchChainParams; result: null };
  wallet_addEthereumChain: { params: AddChainParams; result: null };
  eth_signTypedData_v4: { params: SignTypedDataParams; result: string };
  wallet_requestPermissions: { params: PermissionRequest; result: Eip2255Permission[] };
  wallet_getPermissions: { params: null; result: Eip2255Permission[] };
  wallet_revokePermissions: { params: PermissionRequest; result: null };
  keyhold_createApiKey: { params: CreateApiKeyParams; result: ApiKeyResult };
}

/** Wallet methods that wait on the user. */
export const WALLET_INTERACTIVE = [
  'eth_requestAccounts',
  'wallet_requestPermissions',
  'personal_sign',
  'eth_signTypedData_v4',
  'keyhold_createApiKey',
  'wallet_switchEthereumChain',
  'wallet_addEthereumChain',
] as const;

/** Methods that need a node or send transactions: Keyhold answers 4200 with a reason. */
export const NODE_METHODS: ReadonlySet<string> = new Set([
  'eth_sendTransaction', 'eth_signTransaction', 'eth_sendRawTransaction', 'eth_call', 'eth_estimateGas',
  'eth_getBalance', 'eth_blockNumber', 'eth_getTransactionCount', 'eth_getTransactionReceipt', 'eth_getTransactionByHash',
  'eth_getBlockByNumber', 'eth_getBlockByHash', 'eth_getCode', 'eth_getStorageAt', 'eth_getLogs', 'eth_gasPrice',
  'eth_maxPriorityFeePerGas', 'eth_feeHistory', 'wallet_watchAsset', 'wallet_sendCalls', 'net_version',
]);

/**
 * Signing methods Keyhold does not offer: `eth_sign` signs an unprefixed hash (a blind
 * signature of anything, transactions included), and typed data v1 and v3 are superseded by
 * v4, which Keyhold signs.
 */
export const UNSUPPORTED_SIGNING_METHODS: ReadonlyMap<string, string> = new Map([
  ['eth_sign', 'it signs a bare hash the user cannot read; use personal_sign'],
  ['eth_signTypedData', 'Keyhold signs typed data with eth_signTypedData_v4 only'],
  ['eth_signTypedData_v1', 'Keyhold signs typed data with eth_signTypedData_v4 only'],
  ['eth_signTypedData_v3', 'Keyhold signs typed data with eth_signTypedData_v4 only'],
]);

export const NOT_A_NODE_MESSAGE = 'Keyhold signs messages but does not send transactions or talk to a node';

/**
 * The 4200 error for a method Keyhold lacks. The message starts as MetaMask's does
 * ('The method "…" does not exist / is not available.'): ethers v6 recognises an unsupported
 * method only by that text (`/the method .* does not exist/i`, else UNKNOWN_ERROR "could not
 * coalesce error"); viem goes by the code. Then it says why.
 */
export function unsupportedPageMethod(method: string): ProviderRpcError {
  const shown = method.length > 64 ? `${method.slice(0, 64)}…` : method;
  const head = `The method "${shown}" does not exist / is not available`;
  const signing = UNSUPPORTED_SIGNING_METHODS.get(method);
  if (signing !== undefined) return new ProviderRpcError(ErrorCode.UnsupportedMethod, `${head}: it is not supported by Keyhold (${signing}).`);
  if (NODE_METHODS.has(method)) return new ProviderRpcError(ErrorCode.UnsupportedMethod, `${head}: ${NOT_A_NODE_MESSAGE}.`);
  return new ProviderRpcError(ErrorCode.UnsupportedMethod, `${head} in Keyhold.`);
}
