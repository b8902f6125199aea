/**
 * The vault's state, kept fresh. `useVault` (the approval window) reloads on the worker's
 * `popup:vault-changed` and polls as a fallback; `useLiveVault` (the popup, the
 * onboarding tab) refreshes on the shared change nudge of `store.ts` instead of a timer of its own.
 * @module
 */
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { onVaultChanged } from '../approval-events.js';
import { call } from '../rpc.js';
import { useRemote, type RemoteHandle } from './use-remote.js';

const loadVault = (): Promise<VaultView> => call('vault_status', {});

export const useVault = (pollMs = 2000): RemoteHandle<VaultView> => useRemote(loadVault, { pollMs, subscribe: onVaultChanged });

export const useLiveVault = (): RemoteHandle<VaultView> => useRemote(loadVault, { live: true });
