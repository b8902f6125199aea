/**
 * Unlocks the vault: one "Password" field and an "Unlock" button; where the browser can, and a
 * passkey is enrolled, also "Unlock with a passkey". The worker's error (wrong password, wait
 * after too many, a passkey that does not unlock) is announced.
 * @module
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { PasskeyView } from '../../src/protocol/vault-rpc.js';
import { call } from '../rpc.js';
import { unlockAssertion } from '../vault/passkey.js';
import { usePasskeySupport } from '../vault/use-passkey-support.js';
import { PasswordField } from './password-field.js';
import { t } from '../i18n.js';

export interface UnlockFormProps {
  onUnlocked: () => void;
  autoFocus?: boolean;
  intro?: string;
  /** The vault's enrolled passkeys; "Unlock with a passkey" shows only with one and a browser that can. */
  passkeys?: PasskeyView[];
}

export function UnlockForm({ onUnlocked, autoFocus = true, intro, passkeys = [] }: UnlockFormProps) {
  const canPasskey = usePasskeySupport() && passkeys.length > 0;
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (autoFocus) inputRef.current?.focus();
  }, [autoFocus]);

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    if (busy || password === '') return;
    setBusy(true);
    setError('');
    try {
      await call('vault_unlock', { password });
      setPassword('');
      onUnlocked();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  async function withPasskey(): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await call('vault_unlockWithPasskey', await unlockAssertion(passkeys));
      onUnlocked();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form" onSubmit={(e) => void submit(e)}>
      {intro && <p class="form__intro">{intro}</p>}
      <PasswordField id="unlock-password" label={t('unlockPassword')} value={password} onInput={setPassword} inputRef={inputRef} describedBy="unlock-error" disabled={busy} />
      <p class="form__error" id="unlock-error" role="alert">
        {error}
      </p>
      <button type="submit" class="btn btn--primary btn--block" disabled={busy || password === ''}>
        {busy ? t('unlockBusy') : t('unlockButton')}
      </button>
      {canPasskey && (
        <button type="button" class="btn btn--secondary btn--block" disabled={busy} onClick={() => void withPasskey()}>
          {t('unlockWithPasskey')}
        </button>
      )}
    </form>
  );
}
