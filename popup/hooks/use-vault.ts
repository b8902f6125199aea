/**
 * The vault's state, kept fresh: reloads on the worker's nudge (sent when the vault locks or
 * unlocks) and polls as a fallback.
 * @module
 */
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { onVaultChanged } from '../approval-events.js';
import { call } from '../rpc.js';
import { useRemote, type RemoteHandle } from './use-remote.js';

const loadVault = (): Promise<VaultView> => call('vault_status', {});

export const useVault = (pollMs = 2000): RemoteHandle<VaultView> => useRemote(loadVault, { pollMs, subscribe: onVaultChanged });
