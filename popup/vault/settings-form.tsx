/**
 * Vault settings: minutes before the auto-lock, and the chain `eth_chainId` answers, chosen by
 * name from a list, or a custom chain id (decimal or 0x-hex).
 * @module
 */
import { useState } from 'preact/hooks';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { CUSTOM, chainOption, chainOptions, customChainId } from '../chain-choice.js';
import { Field, FormStatus, useFormAction } from '../components/form-parts.js';
import { t } from '../i18n.js';
import { call } from '../rpc.js';

export function SettingsForm({ vault, onSaved }: { vault: VaultView; onSaved: () => void }) {
  const [minutes, setMinutes] = useState(String(vault.autoLockMinutes));
  const [choice, setChoice] = useState(chainOption(vault.chainId));
  const [custom, setCustom] = useState(chainOption(vault.chainId) === CUSTOM ? vault.chainId : '');
  const { message, busy, run } = useFormAction(onSaved);

  function save(e: Event): void {
    e.preventDefault();
    void run(
      async () => {
        const chainId = choice === CUSTOM ? customChainId(custom) : choice;
        await call('vault_setSettings', { autoLockMinutes: Number(minutes), chainId });
        return t('settingsSaved');
      },
      { track: true },
    );
  }

  return (
    <form class="form settings" aria-label={t('settingsFormLabel')} onSubmit={save}>
      <Field id="auto-lock" label={t('settingsAutoLock')} hint={t('settingsAutoLockHint')}>
        <input class="field__input" id="auto-lock" type="number" min={1} max={1440} required aria-describedby="auto-lock-hint" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
      </Field>
      <Field id="chain" label={t('settingsChain')} hint={t('settingsChainHint')}>
        <select class="field__input" id="chain" aria-describedby="chain-hint" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
          {chainOptions().map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
          <option value={CUSTOM}>{t('settingsChainCustomOption')}</option>
        </select>
      </Field>
      {choice === CUSTOM && (
        <Field id="chain-id" label={t('settingsChainCustom')} hint={t('settingsChainCustomHint')}>
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
        </Field>
      )}
      <FormStatus message={message} />
      <button type="submit" class="btn btn--primary btn--block" disabled={busy}>
        {t('settingsSave')}
      </button>
    </form>
  );
}
