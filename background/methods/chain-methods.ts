/**
 * `wallet_switchEthereumChain` (EIP-3326) and `wallet_addEthereumChain` (EIP-3085). The chain
 * id decides EIP-712 domains and SIWE chain ids, so every switch is the user's, in the approval
 * window; `chainChanged` follows. A chain never added answers 4902, as wagmi and viem expect
 * (they then call `wallet_addEthereumChain`). Adding a chain also switches to it, as MetaMask
 * does (wagmi checks `eth_chainId` right after). Keyhold keeps the RPC URLs a page gives but
 * never calls them: it does not talk to a node.
 * @module
 */
import { ProviderRpcError } from '../../src/protocol/errors.js';
import type { AddChainParams, SwitchChainParams } from '../../src/protocol/wallet-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { awaitApproval } from '../approvals/await.js';
import { chainName } from '../wallet/chains.js';

/** EIP-3326: the chain has not been added to the wallet. */
export const UNRECOGNIZED_CHAIN = 4902;

export async function switchEthereumChain(deps: WorkerDeps, p: SwitchChainParams, ctx: PageContext): Promise<null> {
  const { chainId: current } = await deps.vault.settings();
  if (p.chainId === current) return null;
  const name = await chainName(deps, p.chainId);
  if (name === null) {
    throw new ProviderRpcError(UNRECOGNIZED_CHAIN, `Unrecognized chain ID "${p.chainId}". Try adding the chain using wallet_addEthereumChain first.`);
  }
  await awaitApproval(deps, ctx, 'switchChain', { from: { chainId: current, name: await chainName(deps, current) }, to: { chainId: p.chainId, name }, add: null }, 'The user rejected the network switch.');
  return null;
}

export async function addEthereumChain(deps: WorkerDeps, p: AddChainParams, ctx: PageContext): Promise<null> {
  const { chainId: current } = await deps.vault.settings();
  const known = await chainName(deps, p.chainId);
  // A chain Keyhold knows is only switched to; its name stays Keyhold's, not the page's.
  if (known !== null && p.chainId === current) return null;
  const from = { chainId: current, name: await chainName(deps, current) };
  const add = known !== null ? null : { rpcUrls: p.rpcUrls, nativeCurrency: p.nativeCurrency, blockExplorerUrls: p.blockExplorerUrls };
  await awaitApproval(deps, ctx, 'switchChain', { from, to: { chainId: p.chainId, name: known ?? p.chainName }, add }, 'The user rejected the new network.');
  return null;
}
