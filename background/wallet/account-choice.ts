/**
 * Which of the vault's accounts a site sees: the user's pick when connecting (default: the
 * selected account) and when changing it later from the popup. Parsed at the RPC boundary
 * (`parseAddressList`), then checked against the vault here.
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import type { WorkerDeps } from '../deps.js';

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
