/**
 * Validators for the wallet page methods (`wallet-api.ts`): raw EIP-1193 params in, typed
 * params out, -32602 naming the field. The positional params of `personal_sign` and
 * `eth_signTypedData_v4` follow the de-facto wallet convention (MetaMask, viem).
 * @module
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { anoParams, aobject, areadable, asingleParam, astring, aint } from './assert.js';
import { invalidParams } from './errors.js';
import { parseAddress } from './address.js';
import { parseServiceOrigin } from './service-origin.js';
import { CHAIN_ID_HEX } from './chains.js';
import type { AddChainParams, CreateApiKeyParams, EcRecoverParams, PermissionRequest, PersonalSignParams, SignTypedDataParams, SwitchChainParams, TypedData, WalletMethods } from './wallet-api.js';

/** Largest message `personal_sign` signs, and largest typed-data JSON. */
export const MAX_SIGN_BYTES = 65_536;
export const MAX_API_KEY_NAME = 64;
export const MAX_API_KEY_DAYS = 365;

function positional(params: unknown, method: string, min: number, max: number): unknown[] {
  if (!Array.isArray(params) || params.length < min || params.length > max) {
    throw invalidParams(`${method} takes params ${min === max ? `of ${min}` : `of ${min} to ${max}`} values.`);
  }
  return params;
}

/** The bytes of a `personal_sign`-style message: 0x-hex decoded, else the UTF-8 of the text. */
function messageBytes(data: unknown, method: string): Uint8Array {
  if (typeof data !== 'string') throw invalidParams(`${method} params[0] (the message) must be a 0x-hex or text string.`);
  let message: Uint8Array;
  if (/^0x([0-9a-fA-F]{2})*$/.test(data)) {
    if (data.length > 2 + MAX_SIGN_BYTES * 2) throw invalidParams(`${method} message must be at most ${MAX_SIGN_BYTES} bytes.`);
    message = hexToBytes(data.slice(2));
  } else {
    message = new TextEncoder().encode(data);
    if (message.length > MAX_SIGN_BYTES) throw invalidParams(`${method} message must be at most ${MAX_SIGN_BYTES} bytes.`);
  }
  return message;
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parsePersonalSign(params: unknown): PersonalSignParams {
  // [data, address, password?]: web3.js (and MetaMask's test dapp) send a third value, the
  // password of old node-held accounts. Other wallets ignore it, and so does Keyhold: the user
  // approves in Keyhold's own window. It is never read, stored or echoed.
  const p = positional(params, 'personal_sign', 2, 3);
  return { message: messageBytes(p[0], 'personal_sign'), address: parseAddress(p[1], 'personal_sign params[1] (the address)') };
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseEcRecover(params: unknown): EcRecoverParams {
  const p = positional(params, 'personal_ecRecover', 2, 2);
  const message = messageBytes(p[0], 'personal_ecRecover');
  const sig = p[1];
  if (typeof sig !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(sig)) {
    throw invalidParams('personal_ecRecover params[1] (the signature) must be 65 bytes of 0x-hex (r, s, v).');
  }
  return { message, signature: hexToBytes(sig.slice(2)) };
}

function chainIdParam(value: unknown, field: string): string {
  if (typeof value !== 'string' || !CHAIN_ID_HEX.test(value.toLowerCase())) {
    throw invalidParams(`${field} must be a 0x-hex chain id without leading zeros, such as "0x1" or "0x2105".`);
  }
  return value.toLowerCase();
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseSwitchChain(params: unknown): SwitchChainParams {
  const o = asingleParam(params, 'wallet_switchEthereumChain', ['chainId']);
  return { chainId: chainIdParam(o.chainId, 'chainId') };
}

function urlList(value: unknown, field: string, min: number): string[] {
  if (value === undefined || value === null) value = [];
  if (!Array.isArray(value) || value.length < min || value.length > 8) throw invalidParams(`${field} must be a list of ${min} to 8 URLs.`);
  return value.map((v, i) => {
    const s = astring(v, `${field}[${i}]`, 2048);
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw invalidParams(`${field}[${i}] must be a URL.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidParams(`${field}[${i}] must be an http(s) URL.`);
    return url.href;
  });
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseAddChain(params: unknown): AddChainParams {
  const o = asingleParam(params, 'wallet_addEthereumChain', ['chainId', 'chainName', 'rpcUrls', 'nativeCurrency', 'blockExplorerUrls', 'iconUrls']);
  const chainId = chainIdParam(o.chainId, 'chainId');
  const chainName = astring(o.chainName, 'chainName', 64).trim();
  if (chainName.length === 0) throw invalidParams('chainName must not be empty.');
  if (/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(chainName)) throw invalidParams('chainName must not contain control characters.');
  const rpcUrls = urlList(o.rpcUrls, 'rpcUrls', 1);
  const blockExplorerUrls = urlList(o.blockExplorerUrls, 'blockExplorerUrls', 0);
  if (o.iconUrls !== undefined && o.iconUrls !== null && !Array.isArray(o.iconUrls)) throw invalidParams('iconUrls must be a list.');
  let nativeCurrency: AddChainParams['nativeCurrency'] = null;
  if (o.nativeCurrency !== undefined && o.nativeCurrency !== null) {
    const c = aobject(o.nativeCurrency, 'nativeCurrency', ['name', 'symbol', 'decimals']);
    const name = astring(c.name, 'nativeCurrency.name', 64);
    const symbol = astring(c.symbol, 'nativeCurrency.symbol', 12);
    if (!/^[\p{L}\p{N}._-]{1,12}$/u.test(symbol)) throw invalidParams('nativeCurrency.symbol must be 1 to 12 letters or digits.');
    nativeCurrency = { name, symbol, decimals: aint(c.decimals, 'nativeCurrency.decimals', 0, 36) };
  }
  return { chainId, chainName, rpcUrls, nativeCurrency, blockExplorerUrls };
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const typeName = (k: string) => IDENT.test(k) && !FORBIDDEN.has(k);

function typedData(value: unknown): TypedData {
  let raw = value;
  if (typeof value === 'string') {
    if (value.length > MAX_SIGN_BYTES) throw invalidParams(`typed data must be at most ${MAX_SIGN_BYTES} characters of JSON.`);
    try {
      raw = JSON.parse(value);
    } catch {
      throw invalidParams('eth_signTypedData_v4 params[1] must be the typed data as JSON (or an object).');
    }
  } else {
    let size = 0;
    try {
      size = JSON.stringify(value)?.length ?? 0;
    } catch {
      throw invalidParams('typed data must be plain JSON data.');
    }
    if (size > MAX_SIGN_BYTES) throw invalidParams(`typed data must be at most ${MAX_SIGN_BYTES} characters of JSON.`);
  }
  const o = aobject(raw, 'typedData', ['types', 'primaryType', 'domain', 'message']);
  const types = aobject(o.types, 'typedData.types', Object.keys(o.types ?? {}).filter(typeName));
  for (const [name, fields] of Object.entries(types)) {
    if (!Array.isArray(fields)) throw invalidParams(`typedData.types.${name} must be an array of {name, type}.`);
    fields.forEach((f, i) => {
      const field = aobject(f, `typedData.types.${name}[${i}]`, ['name', 'type']);
      astring(field.name, `typedData.types.${name}[${i}].name`, 256);
      astring(field.type, `typedData.types.${name}[${i}].type`, 256);
    });
  }
  const primaryType = astring(o.primaryType, 'typedData.primaryType', 256);
  if (primaryType !== 'EIP712Domain' && !Object.prototype.hasOwnProperty.call(types, primaryType)) {
    throw invalidParams(`typedData.primaryType "${primaryType.slice(0, 40)}" is not in typedData.types.`);
  }
  const domain = aobject(o.domain, 'typedData.domain', ['name', 'version', 'chainId', 'verifyingContract', 'salt']);
  const message = aobject(o.message ?? {}, 'typedData.message', Object.keys(o.message ?? {}).filter((k) => !FORBIDDEN.has(k)));
  return { types: types as TypedData['types'], primaryType, domain, message };
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseSignTypedData(params: unknown): SignTypedDataParams {
  const p = positional(params, 'eth_signTypedData_v4', 2, 2);
  return { address: parseAddress(p[0], 'eth_signTypedData_v4 params[0] (the address)'), typedData: typedData(p[1]) };
}

/** @throws ProviderRpcError -32602 unless `[{eth_accounts: {}}]`. */
export function parsePermissionRequest(params: unknown, method: string): PermissionRequest {
  const o = asingleParam(params, method, ['eth_accounts']);
  if (o.eth_accounts === undefined) throw invalidParams(`${method} supports the eth_accounts permission only: [{eth_accounts: {}}].`);
  aobject(o.eth_accounts, 'eth_accounts', []);
  return { eth_accounts: {} };
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parseCreateApiKey(params: unknown): CreateApiKeyParams {
  const o = asingleParam(params, 'keyhold_createApiKey', ['name', 'validUntil', 'service']);
  const name = astring(o.name, 'name', MAX_API_KEY_NAME);
  if (name.length === 0) throw invalidParams('name must not be empty.');
  areadable(name, 'name');
  const validUntil = aint(o.validUntil, 'validUntil', 0, Number.MAX_SAFE_INTEGER);
  if (o.service === undefined) return { name, validUntil };
  const s = aobject(o.service, 'service', ['baseUrl']);
  return { name, validUntil, service: { baseUrl: parseServiceOrigin(s.baseUrl, 'service.baseUrl') } };
}

type Parsers = { [M in keyof WalletMethods]: (params: unknown) => WalletMethods[M]['params'] };

export const walletParamParsers: Parsers = {
  eth_requestAccounts: (p) => anoParams(p, 'eth_requestAccounts'),
  eth_accounts: (p) => anoParams(p, 'eth_accounts'),
  eth_chainId: (p) => anoParams(p, 'eth_chainId'),
  personal_sign: parsePersonalSign,
  personal_ecRecover: parseEcRecover,
  wallet_switchEthereumChain: parseSwitchChain,
  wallet_addEthereumChain: parseAddChain,
  eth_signTypedData_v4: parseSignTypedData,
  wallet_requestPermissions: (p) => parsePermissionRequest(p, 'wallet_requestPermissions'),
  wallet_getPermissions: (p) => anoParams(p, 'wallet_getPermissions'),
  wallet_revokePermissions: (p) => parsePermissionRequest(p, 'wallet_revokePermissions'),
  keyhold_createApiKey: parseCreateApiKey,
};
