/**
 * What a site may see of the wallet: the accounts of its permission that are still in the
 * vault, lower case. A site without a permission sees nothing.
 * @module
 */
import { unauthorized } from '../../src/protocol/errors.js';
import type { Eip2255Permission } from '../../src/protocol/wallet-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PermissionRecord } from './permissions.js';

export const NOT_CONNECTED = 'This site is not connected to Keyhold: call eth_requestAccounts first.';

/** The accounts `origin` may see (empty when not connected). */
export async function visibleAccounts(deps: WorkerDeps, origin: string): Promise<string[]> {
  const perm = await deps.permissions.get(origin);
  if (!perm) return [];
  const inVault = new Set((await deps.vault.status()).accounts.map((a) => a.toLowerCase()));
  return perm.accounts.filter((a) => inVault.has(a.toLowerCase()));
}

/**
 * @throws ProviderRpcError 4100 unless `origin` is connected and may see `address`
 */
export async function requireConnected(deps: WorkerDeps, origin: string, address: string): Promise<void> {
  const visible = await visibleAccounts(deps, origin);
  if (visible.length === 0) throw unauthorized(NOT_CONNECTED);
  if (!visible.includes(address.toLowerCase())) throw unauthorized(`This site may not use ${address}; it was shown ${visible.join(', ')}.`);
}

export const toEip2255 = (p: PermissionRecord, accounts: string[]): Eip2255Permission => ({
  invoker: p.origin,
  parentCapability: 'eth_accounts',
  caveats: [{ type: 'restrictReturnedAccounts', value: accounts }],
  date: p.grantedAt,
});
