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
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    setBusy(true);
    try {
      await call('vault_setSettings', { autoLockMinutes: Number(minutes), chainId: chainId.trim() });
      setMessage({ ok: true, text: 'Settings saved.' });
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
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
        <input
          class="field__input"
          id="auto-lock"
          type="number"
          min={1}
          max={1440}
          required
          aria-describedby="auto-lock-hint"
          value={minutes}
          onInput={(e) => setMinutes((e.currentTarget as HTMLInputElement).value)}
        />
        <p class="field__hint" id="auto-lock-hint">
          Without use of the master key, the vault locks itself after this long (1 to 1440).
        </p>
      </div>
      <div class="field">
        <label class="field__label" for="chain-id">
          Chain ID
        </label>
        <input
          class="field__input field__input--mono"
          id="chain-id"
          type="text"
          spellcheck={false}
          autocomplete="off"
          required
          aria-describedby="chain-id-hint"
          value={chainId}
          onInput={(e) => setChainId((e.currentTarget as HTMLInputElement).value)}
        />
        <p class="field__hint" id="chain-id-hint">
          What sites get from eth_chainId, in hex: 0x1 is Ethereum mainnet.
        </p>
      </div>
      <p class={`form__status ${message?.ok === false ? 'form__status--error' : ''}`} role="status">
        {message?.text ?? ''}
      </p>
      <button type="submit" class="btn btn--primary btn--block" disabled={busy}>
        Save settings
      </button>
    </form>
  );
}
