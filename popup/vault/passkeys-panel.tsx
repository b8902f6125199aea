/**
 * Settings → Passkeys: unlock the vault with a passkey (WebAuthn PRF) instead of typing the
 * password, which stays the way back in. Enrolling asks for the password; removing needs the
 * vault unlocked. Shown only where the browser can use passkeys in Keyhold's pages.
 * @module
 */
import { useState } from 'preact/hooks';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { PasswordField } from '../components/password-field.js';
import { call } from '../rpc.js';
import { t } from '../i18n.js';
import { enrollPasskey } from './passkey.js';
import { usePasskeySupport } from './use-passkey-support.js';

export function PasskeysPanel({ vault, onChanged }: { vault: VaultView; onChanged: () => void }) {
  const supported = usePasskeySupport();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (!supported) return null;

  async function add(e: Event): Promise<void> {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const label = name.trim() || t('passkeyDefaultName');
      // A wrong password is refused before the authenticator makes a passkey that could not be used.
      await call('vault_checkPassword', { password });
      const enrolled = await enrollPasskey(label);
      await call('vault_addPasskey', { ...enrolled, password, name: label });
      setPassword('');
      setName('');
      setMessage({ ok: true, text: t('passkeyAdded', label) });
      onChanged();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }
  async function remove(id: string, label: string): Promise<void> {
    try {
      await call('vault_removePasskey', { credentialId: id });
      setMessage({ ok: true, text: t('passkeyRemoved', label) });
      onChanged();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <section class="card panel" aria-labelledby="settings-passkeys">
      <h2 class="panel__title" id="settings-passkeys">
        {t('passkeysTitle')}
      </h2>
      <p class="panel__text">{t('passkeysIntro')}</p>
      {vault.passkeys.length > 0 && (
        <ul class="passkey-list" aria-label={t('passkeysList')}>
          {vault.passkeys.map((p) => (
            <li key={p.id}>
              <span>{p.name}</span>
              {vault.unlocked && (
                <button type="button" class="btn btn--danger-text btn--xs" aria-label={t('passkeyRemoveLabel', p.name)} onClick={() => void remove(p.id, p.name)}>
                  {t('passkeyRemove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {vault.unlocked && (
        <form class="form" onSubmit={(e) => void add(e)}>
          <div class="field">
            <label class="field__label" for="passkey-name">
              {t('passkeyName')}
            </label>
            <input class="field__input" id="passkey-name" type="text" maxLength={64} autocomplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <PasswordField id="passkey-password" label={t('passkeyPassword')} value={password} onInput={setPassword} disabled={busy} />
          <button type="submit" class="btn btn--secondary btn--sm panel__action" disabled={busy || password === ''}>
            {busy ? t('passkeyWaiting') : t('passkeyAdd')}
          </button>
        </form>
      )}
      <p class={`form__status ${message?.ok === false ? 'form__status--error' : ''}`} role="status">
        {message?.text ?? ''}
      </p>
    </section>
  );
}
