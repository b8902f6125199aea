/**
 * `eth_requestAccounts` (asks the user to connect the site when it is not), `eth_accounts`
 * (the connected site's accounts, else []; [] while locked) and `eth_chainId` (a setting,
 * default 0x1).
 * @module
 */
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { awaitApproval } from '../approvals/await.js';
import { visibleAccounts } from '../wallet/connected.js';
import { accountsNow } from '../wallet/lock-events.js';

/**
 * The site's accounts, connecting it first (with the user's approval) when needed. With no
 * vault yet the user is asked all the same (the window offers to set one up): answering at
 * once would tell any page that this browser has no account.
 */
export async function connectSite(deps: WorkerDeps, ctx: PageContext, force = false): Promise<string[]> {
  const status = await deps.vault.status();
  if (!force) {
    const visible = await visibleAccounts(deps, ctx.origin);
    if (visible.length > 0) return visible;
  }
  // Without a vault yet there is nothing to tick: the window takes the accounts of the vault the user sets up.
  const offer = status.selected ? { accounts: status.accounts, names: status.names, selected: status.selected } : { accounts: status.accounts };
  const { accounts } = await awaitApproval(deps, ctx, 'connect', offer, 'The user rejected the connection request.');
  return accounts;
}

export const ethRequestAccounts = (deps: WorkerDeps, _p: null, ctx: PageContext): Promise<string[]> => connectSite(deps, ctx);

/** [] while the vault is locked, as MetaMask answers (and `accountsChanged` says on lock). */
export const ethAccounts = (deps: WorkerDeps, _p: null, ctx: PageContext): Promise<string[]> => accountsNow(deps, ctx.origin);

export async function ethChainId(deps: WorkerDeps): Promise<string> {
  return (await deps.vault.settings()).chainId;
}
