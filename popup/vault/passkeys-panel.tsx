/**
 * Settings → Passkeys: unlock the vault with a passkey (WebAuthn PRF) instead of typing the
 * password, which stays the way back in. Enrolling asks for the password; removing needs the
 * vault unlocked. Shown only where the browser can use passkeys in Keyhold's pages.
 * @module
 */
import { useState } from 'preact/hooks';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { FormStatus, NameField, useFormAction } from '../components/form-parts.js';
import { TitledSection } from '../components/titled-section.js';
import { PasswordField } from '../components/password-field.js';
import { call } from '../rpc.js';
import { t } from '../i18n.js';
import { enrollPasskey } from './passkey.js';
import { usePasskeySupport } from './use-passkey-support.js';

export function PasskeysPanel({ vault, onChanged }: { vault: VaultView; onChanged: () => void }) {
  const supported = usePasskeySupport();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { message, busy, run } = useFormAction(onChanged);
  if (!supported) return null;

  function add(e: Event): void {
    e.preventDefault();
    void run(
      async () => {
        const label = name.trim() || t('passkeyDefaultName');
        // A wrong password is refused before the authenticator makes a passkey that could not be used.
        await call('vault_checkPassword', { password });
        const enrolled = await enrollPasskey(label);
        await call('vault_addPasskey', { ...enrolled, password, name: label });
        setPassword('');
        setName('');
        return t('passkeyAdded', label);
      },
      { track: true, clear: true },
    );
  }
  function remove(id: string, label: string): void {
    void run(async () => {
      await call('vault_removePasskey', { credentialId: id });
      return t('passkeyRemoved', label);
    });
  }

  return (
    <TitledSection class="card panel" id="settings-passkeys" title={t('passkeysTitle')} titleClass="panel__title">
      <p class="panel__text">{t('passkeysIntro')}</p>
      {vault.passkeys.length > 0 && (
        <ul class="passkey-list" aria-label={t('passkeysList')}>
          {vault.passkeys.map((p) => (
            <li key={p.id}>
              <span>{p.name}</span>
              {vault.unlocked && (
                <button type="button" class="btn btn--danger-text btn--xs" aria-label={t('passkeyRemoveLabel', p.name)} onClick={() => remove(p.id, p.name)}>
                  {t('passkeyRemove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {vault.unlocked && (
        <form class="form" onSubmit={add}>
          <NameField id="passkey-name" label={t('passkeyName')} value={name} onInput={setName} />
          <PasswordField id="passkey-password" label={t('passkeyPassword')} value={password} onInput={setPassword} disabled={busy} />
          <button type="submit" class="btn btn--secondary btn--sm panel__action" disabled={busy || password === ''}>
            {busy ? t('passkeyWaiting') : t('passkeyAdd')}
          </button>
        </form>
      )}
      <FormStatus message={message} />
    </TitledSection>
  );
}
