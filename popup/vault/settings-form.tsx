/**
 * Vault settings: minutes before the auto-lock, and the chain `eth_chainId` answers, chosen by
 * name from a list, or a custom chain id (decimal or 0x-hex).
 * @module
 */
import { useState } from 'preact/hooks';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { CUSTOM, chainOption, chainOptions, customChainId } from '../chain-choice.js';
import { t } from '../i18n.js';
import { call } from '../rpc.js';

export function SettingsForm({ vault, onSaved }: { vault: VaultView; onSaved: () => void }) {
  const [minutes, setMinutes] = useState(String(vault.autoLockMinutes));
  const [choice, setChoice] = useState(chainOption(vault.chainId));
  const [custom, setCustom] = useState(chainOption(vault.chainId) === CUSTOM ? vault.chainId : '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    setBusy(true);
    try {
      const chainId = choice === CUSTOM ? customChainId(custom) : choice;
      await call('vault_setSettings', { autoLockMinutes: Number(minutes), chainId });
      setMessage({ ok: true, text: t('settingsSaved') });
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form settings" aria-label={t('settingsFormLabel')} onSubmit={(e) => void save(e)}>
      <div class="field">
        <label class="field__label" for="auto-lock">
          {t('settingsAutoLock')}
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
          onInput={(e) => setMinutes(e.currentTarget.value)}
        />
        <p class="field__hint" id="auto-lock-hint">
          {t('settingsAutoLockHint')}
        </p>
      </div>
      <div class="field">
        <label class="field__label" for="chain">
          {t('settingsChain')}
        </label>
        <select class="field__input" id="chain" aria-describedby="chain-hint" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
          {chainOptions().map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
          <option value={CUSTOM}>{t('settingsChainCustomOption')}</option>
        </select>
        <p class="field__hint" id="chain-hint">
          {t('settingsChainHint')}
        </p>
      </div>
      {choice === CUSTOM && (
        <div class="field">
          <label class="field__label" for="chain-id">
            {t('settingsChainCustom')}
          </label>
          <input
            class="field__input field__input--mono"
            id="chain-id"
            type="text"
            inputMode="text"
            spellcheck={false}
            autocomplete="off"
            required
            aria-describedby="chain-id-hint"
            value={custom}
            onInput={(e) => setCustom(e.currentTarget.value)}
          />
          <p class="field__hint" id="chain-id-hint">
            {t('settingsChainCustomHint')}
          </p>
        </div>
      )}
      <p class={`form__status ${message?.ok === false ? 'form__status--error' : ''}`} role="status">
        {message?.text ?? ''}
      </p>
      <button type="submit" class="btn btn--primary btn--block" disabled={busy}>
        {t('settingsSave')}
      </button>
    </form>
  );
}
