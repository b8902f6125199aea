/**
 * Which of the vault's accounts a site sees: the user's pick when connecting (default: the
 * selected account) and when changing it later from the popup. Validation at the RPC boundary
 * (`addressList`), then checked against the vault (`chooseAccounts`).
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import type { WorkerDeps } from '../deps.js';
import { MAX_ACCOUNTS } from '../vault/secret.js';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * A list of 1 to 10 distinct 0x addresses, lower case.
 * @throws ProviderRpcError -32602 naming `field`
 */
export function addressList(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.length < 1 || v.length > MAX_ACCOUNTS || !v.every((a) => typeof a === 'string' && ADDRESS.test(a))) {
    throw invalidParams(`${field} must be a list of 1 to ${MAX_ACCOUNTS} addresses.`);
  }
  const lower = v.map((a: string) => a.toLowerCase());
  if (new Set(lower).size !== lower.length) throw invalidParams(`${field} lists an address twice.`);
  return lower;
}

/**
 * The accounts a site will see, lower case and in the vault's order: `picked` when given (each
 * must be the vault's), else the selected account.
 * @throws ProviderRpcError -32602 when a picked address is not an account of the vault
 */
export async function chooseAccounts(deps: WorkerDeps, picked?: string[]): Promise<string[]> {
  const { accounts, selected } = await deps.vault.status();
  const inVault = accounts.map((a) => a.toLowerCase());
  const want = new Set(picked ?? [(selected ?? accounts[0]!).toLowerCase()]);
  for (const a of want) if (!inVault.includes(a)) throw invalidParams(`${a} is not an account of Keyhold's vault.`);
  return inVault.filter((a) => want.has(a));
}
