/**
 * Ethereum addresses where they enter: the one check of a `0x` + 40 hex digits address, for the
 * page API, the extension RPC and stored records alike. Answers lower case (what every
 * comparison and stored list uses); checksums are not enforced, as wallets do not enforce them
 * on input.
 * @module
 */
import { invalidParams } from './errors.js';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Whether `value` is a 0x-prefixed 20-byte address (any case). */
export const isAddress = (value: unknown): value is string => typeof value === 'string' && ADDRESS.test(value);

/** @throws ProviderRpcError -32602 naming `field` unless a 0x-prefixed 20-byte address; answers it lower case. */
export function parseAddress(value: unknown, field: string): string {
  if (!isAddress(value)) throw invalidParams(`${field} must be a 0x-prefixed 20-byte address.`);
  return value.toLowerCase();
}

/**
 * A list of 1 to `max` distinct addresses, lower case.
 * @throws ProviderRpcError -32602 naming `field`
 */
export function parseAddressList(value: unknown, field: string, max: number): string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > max || !value.every(isAddress)) {
    throw invalidParams(`${field} must be a list of 1 to ${max} addresses.`);
  }
  const lower = value.map((a) => a.toLowerCase());
  if (new Set(lower).size !== lower.length) throw invalidParams(`${field} lists an address twice.`);
  return lower;
}
