/**
 * Validators for the wallet page methods (`wallet-api.ts`): raw EIP-1193 params in, typed
 * params out, -32602 naming the field. The positional params of `personal_sign` and
 * `eth_signTypedData_v4` follow the de-facto wallet convention (MetaMask, viem).
 * @module
 */
import { anoParams, aobject, asingleParam, astring, aint } from './assert.js';
import { invalidParams } from './errors.js';
import type { CreateApiKeyParams, PermissionRequest, PersonalSignParams, SignTypedDataParams, TypedData, WalletMethods } from './wallet-api.js';

/** Largest message `personal_sign` signs, and largest typed-data JSON. */
export const MAX_SIGN_BYTES = 65_536;
export const MAX_API_KEY_NAME = 64;
export const MAX_API_KEY_DAYS = 365;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function address(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ADDRESS.test(value)) throw invalidParams(`${field} must be a 0x-prefixed 20-byte address.`);
  return value.toLowerCase();
}

function positional(params: unknown, method: string, min: number, max: number): unknown[] {
  if (!Array.isArray(params) || params.length < min || params.length > max) {
    throw invalidParams(`${method} takes params ${min === max ? `of ${min}` : `of ${min} to ${max}`} values.`);
  }
  return params;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** @throws ProviderRpcError -32602 naming the field. */
export function parsePersonalSign(params: unknown): PersonalSignParams {
  // [data, address] (a third "password" value, from old web3 APIs, must be absent or empty).
  const p = positional(params, 'personal_sign', 2, 3);
  if (p[2] !== undefined && p[2] !== '' && p[2] !== null) throw invalidParams('personal_sign takes no password; Keyhold asks the user itself.');
  const data = p[0];
  if (typeof data !== 'string') throw invalidParams('personal_sign params[0] (the message) must be a 0x-hex or text string.');
  let message: Uint8Array;
  if (/^0x([0-9a-fA-F]{2})*$/.test(data)) {
    if (data.length > 2 + MAX_SIGN_BYTES * 2) throw invalidParams(`personal_sign message must be at most ${MAX_SIGN_BYTES} bytes.`);
    message = hexBytes(data);
  } else {
    message = new TextEncoder().encode(data);
    if (message.length > MAX_SIGN_BYTES) throw invalidParams(`personal_sign message must be at most ${MAX_SIGN_BYTES} bytes.`);
  }
  return { message, address: address(p[1], 'personal_sign params[1] (the address)') };
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
  return { address: address(p[0], 'eth_signTypedData_v4 params[0] (the address)'), typedData: typedData(p[1]) };
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
  const o = asingleParam(params, 'keyhold_createApiKey', ['name', 'validUntil']);
  const name = astring(o.name, 'name', MAX_API_KEY_NAME);
  if (name.length === 0) throw invalidParams('name must not be empty.');
  if (/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(name)) throw invalidParams('name must not contain control characters.');
  const validUntil = aint(o.validUntil, 'validUntil', 0, Number.MAX_SAFE_INTEGER);
  return { name, validUntil };
}

type Parsers = { [M in keyof WalletMethods]: (params: unknown) => WalletMethods[M]['params'] };

export const walletParamParsers: Parsers = {
  eth_requestAccounts: (p) => anoParams(p, 'eth_requestAccounts'),
  eth_accounts: (p) => anoParams(p, 'eth_accounts'),
  eth_chainId: (p) => anoParams(p, 'eth_chainId'),
  personal_sign: parsePersonalSign,
  eth_signTypedData_v4: parseSignTypedData,
  wallet_requestPermissions: (p) => parsePermissionRequest(p, 'wallet_requestPermissions'),
  wallet_getPermissions: (p) => anoParams(p, 'wallet_getPermissions'),
  wallet_revokePermissions: (p) => parsePermissionRequest(p, 'wallet_revokePermissions'),
  keyhold_createApiKey: parseCreateApiKey,
};
