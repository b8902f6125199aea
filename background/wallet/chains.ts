/**
 * The active chain and the chains the user may switch to: Keyhold's well-known chains
 * (`src/protocol/chains.ts`) and those added by `wallet_addEthereumChain` with the user's
 * approval, kept in the vault's settings. Switching tells every page (`chainChanged`).
 * @module
 */
import { knownChain } from '../../src/protocol/chains.js';
import type { WorkerDeps } from '../deps.js';
import type { AddedChain } from '../vault/records.js';

const MAX_ADDED = 50;

const isAdded = (c: unknown): c is AddedChain => {
  const a = c as Partial<AddedChain> | null;
  return !!a && typeof a.chainId === 'string' && typeof a.name === 'string' && Array.isArray(a.rpcUrls) && Array.isArray(a.blockExplorerUrls);
};

export async function addedChains(deps: WorkerDeps): Promise<AddedChain[]> {
  const list = (await deps.vault.settings()).addedChains;
  return Array.isArray(list) ? list.filter(isAdded) : [];
}

/** The chain's name when Keyhold knows it (well-known or added), else null. */
export async function chainName(deps: WorkerDeps, chainId: string): Promise<string | null> {
  return knownChain(chainId)?.name ?? (await addedChains(deps)).find((c) => c.chainId === chainId)?.name ?? null;
}

/** Makes `chainId` active (keeping `add` among the added chains first); tells every page when it changed. */
export async function switchTo(deps: WorkerDeps, chainId: string, add: AddedChain | null): Promise<void> {
  const change: { chainId: string; addedChains?: AddedChain[] } = { chainId };
  if (add) change.addedChains = [...(await addedChains(deps)).filter((c) => c.chainId !== add.chainId), add].slice(-MAX_ADDED);
  const before = (await deps.vault.settings()).chainId;
  await deps.vault.setSettings(change);
  if (before !== chainId) deps.pushToEverySite([{ event: 'chainChanged', data: chainId }]);
}
