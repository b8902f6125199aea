/**
 * EIP-2255 permissions, `eth_accounts` only: request (a connect approval), get, revoke.
 * @module
 */
import type { Eip2255Permission, PermissionRequest } from '../../src/protocol/wallet-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { toEip2255, visibleAccounts } from '../wallet/connected.js';
import { connectSite } from './eth-accounts.js';

export async function walletGetPermissions(deps: WorkerDeps, _p: null, ctx: PageContext): Promise<Eip2255Permission[]> {
  const perm = await deps.permissions.get(ctx.origin);
  return perm ? [toEip2255(perm, await visibleAccounts(deps, ctx.origin))] : [];
}

/** Always asks the user (the page asked for permissions explicitly), like MetaMask. */
export async function walletRequestPermissions(deps: WorkerDeps, _p: PermissionRequest, ctx: PageContext): Promise<Eip2255Permission[]> {
  await connectSite(deps, ctx, true);
  return walletGetPermissions(deps, null, ctx);
}

export async function walletRevokePermissions(deps: WorkerDeps, _p: PermissionRequest, ctx: PageContext): Promise<null> {
  if (await deps.permissions.revoke(ctx.origin)) deps.pushToSite(ctx.origin, [{ event: 'accountsChanged', data: [] }]);
  return null;
}
