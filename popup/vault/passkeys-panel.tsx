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
      const label = name.trim() || 'Passkey';
      // A wrong password is refused before the authenticator makes a passkey that could not be used.
      await call('vault_checkPassword', { password });
      const enrolled = await enrollPasskey(label);
      await call('vault_addPasskey', { ...enrolled, password, name: label });
      setPassword('');
      setName('');
      setMessage({ ok: true, text: `Passkey "${label}" added: it unlocks Keyhold now.` });
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
      setMessage({ ok: true, text: `Passkey "${label}" removed.` });
      onChanged();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <section class="card panel" aria-labelledby="settings-passkeys">
      <h2 class="panel__title" id="settings-passkeys">
        Passkeys
      </h2>
      <p class="panel__text">Unlock with a passkey instead of your password. Your password still unlocks Keyhold, always.</p>
      {vault.passkeys.length > 0 && (
        <ul class="passkey-list" aria-label="Passkeys that unlock Keyhold">
          {vault.passkeys.map((p) => (
            <li key={p.id}>
              <span>{p.name}</span>
              {vault.unlocked && (
                <button type="button" class="btn btn--danger-ghost btn--xs" aria-label={`Remove passkey ${p.name}`} onClick={() => void remove(p.id, p.name)}>
                  Remove
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
              Passkey name
            </label>
            <input class="field__input" id="passkey-name" type="text" maxLength={64} autocomplete="off" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <PasswordField id="passkey-password" label="Password to add a passkey" value={password} onInput={setPassword} disabled={busy} />
          <button type="submit" class="btn btn--secondary btn--sm panel__action" disabled={busy || password === ''}>
            {busy ? 'Waiting for your passkey…' : 'Add a passkey'}
          </button>
        </form>
      )}
      <p class={`form__status ${message?.ok === false ? 'form__status--error' : ''}`} role="status">
        {message?.text ?? ''}
      </p>
    </section>
  );
}
