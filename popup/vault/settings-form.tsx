/**
 * Vault settings: minutes before the auto-lock, and the chain id `eth_chainId` answers.
 * @module
 */
import { useState } from 'preact/hooks';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { call } from '../rpc.js';

export function SettingsForm({ vault, onSaved }: { vault: VaultView; onSaved: () => void }) {
  const [minutes, setMinutes] = useState(String(vault.autoLockMinutes));
  const [chainId, setChainId] = useState(vault.chainId);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    setBusy(true);
    try {
      await call('vault_setSettings', { autoLockMinutes: Number(minutes), chainId: chainId.trim() });
      setMessage('Settings saved.');
      onSaved();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form settings" aria-label="Vault settings" onSubmit={(e) => void save(e)}>
      <div class="field">
        <label class="field__label" for="auto-lock">
          Auto-lock after (minutes)
        </label>
        <input class="field__input" id="auto-lock" type="number" min={1} max={1440} value={minutes} onInput={(e) => setMinutes((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label class="field__label" for="chain-id">
          Chain ID
        </label>
        <input class="field__input" id="chain-id" type="text" spellcheck={false} value={chainId} onInput={(e) => setChainId((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <p class="form__status" role="status">
        {message}
      </p>
      <button type="submit" class="btn btn--secondary btn--block" disabled={busy}>
        Save settings
      </button>
    </form>
  );
}
