/**
 * Unlocks the vault: one "Password" field and an "Unlock" button; the worker's error (wrong
 * password, wait after too many) is announced.
 * @module
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { call } from '../rpc.js';
import { PasswordField } from './password-field.js';

export function UnlockForm({ onUnlocked, autoFocus = true, intro }: { onUnlocked: () => void; autoFocus?: boolean; intro?: string }) {
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

  return (
    <form class="form" onSubmit={(e) => void submit(e)}>
      {intro && <p class="form__intro">{intro}</p>}
      <PasswordField id="unlock-password" label="Password" value={password} onInput={setPassword} inputRef={inputRef} describedBy="unlock-error" disabled={busy} />
      <p class="form__error" id="unlock-error" role="alert">
        {error}
      </p>
      <button type="submit" class="btn btn--primary btn--block" disabled={busy || password === ''}>
        {busy ? 'Unlocking…' : 'Unlock'}
      </button>
    </form>
  );
}
