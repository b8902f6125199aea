/**
 * The vault at the top of Home: set it up on first run (create, import, or continue without
 * one), unlock it, or (unlocked) its account and Lock. Settings live in the Settings view.
 * @module
 */
import { useState } from 'preact/hooks';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { UnlockForm } from '../components/unlock-form.js';
import { useLock } from './use-lock.js';
import { SetupView } from './setup-view.js';

const SKIP_KEY = 'keyhold.vault.skipped';

export const vaultSkipped = (): boolean => localStorage.getItem(SKIP_KEY) === '1';
export const setVaultSkipped = (skipped: boolean): void =>
  skipped ? localStorage.setItem(SKIP_KEY, '1') : localStorage.removeItem(SKIP_KEY);

export function VaultPanel({ vault, onChanged }: { vault: VaultView; onChanged: () => void }) {
  const [skipped, setSkipped] = useState(vaultSkipped);
  const { busy, lock } = useLock(onChanged);
  const skip = (value: boolean) => {
    setVaultSkipped(value);
    setSkipped(value);
  };

  if (!vault.exists) {
    if (skipped) {
      return (
        <p class="vault-bar vault-bar--quiet">
          <span>Session keys only: no vault.</span>
          <button type="button" class="btn btn--ghost btn--sm" onClick={() => skip(false)}>
            Set up a vault
          </button>
        </p>
      );
    }
    return <SetupView onDone={onChanged} onSkip={() => skip(true)} />;
  }

  if (!vault.unlocked) {
    return (
      <section class="card vault" aria-labelledby="vault-title">
        <h2 class="vault__title" id="vault-title">
          Vault locked
        </h2>
        <UnlockForm onUnlocked={onChanged} autoFocus={false} passkeys={vault.passkeys} intro="Unlock to sign with your master key and see your sessions at each service." />
      </section>
    );
  }


  return (
    <section class="vault-bar vault-bar--unlocked" aria-labelledby="vault-title">
      <div class="vault-bar__top">
        <h2 class="vault-bar__title" id="vault-title">
          {vault.accounts.length === 1 ? 'Master account' : 'Master accounts'}
        </h2>
        <button type="button" class="btn btn--ghost btn--xs" disabled={busy} onClick={() => void lock()}>
          Lock
        </button>
      </div>
      <ul class="vault__accounts" aria-label="Accounts">
        {vault.accounts.map((a, i) => (
          <li key={a}>
            <span class="account-picker__name">{vault.names[i]}</span>
            {vault.accounts.length > 1 && vault.selected === a && <span class="badge badge--neutral">Selected</span>} <code class="address">{a}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
