/**
 * "Lock": locks the vault, keeping the button disabled while the worker does it, then tells the
 * view that the vault changed. Shared by the Home vault bar and Settings.
 * @module
 */
import { useState } from 'preact/hooks';
import { call } from '../rpc.js';

export function useLock(onChanged: () => void): { busy: boolean; lock: () => Promise<void> } {
  const [busy, setBusy] = useState(false);
  async function lock(): Promise<void> {
    setBusy(true);
    try {
      await call('vault_lock', {});
    } finally {
      setBusy(false);
      onChanged();
    }
  }
  return { busy, lock };
}
