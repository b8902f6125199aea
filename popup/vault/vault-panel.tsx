/**
 * The vault at the top of the toolbar popup: set it up on first run, unlock it, or (unlocked)
 * its accounts, Lock, and settings.
 * @module
 */
import { useState } from 'preact/hooks';
import { UnlockForm } from '../components/unlock-form.js';
import { useVault } from '../hooks/use-vault.js';
import { call } from '../rpc.js';
import { SettingsForm } from './settings-form.js';
import { SetupView } from './setup-view.js';

const SKIP_KEY = 'keyhold.vault.skipped';

export function VaultPanel() {
  const { state, refresh } = useVault(5000);
  const [skipped, setSkipped] = useState(() => localStorage.getItem(SKIP_KEY) === '1');
  const [showSettings, setShowSettings] = useState(false);
  const [busy, setBusy] = useState(false);
  if (state.status !== 'ready') return null;
  const vault = state.data;

  if (!vault.exists) {
    if (skipped) {
      return (
        <p class="vault-bar">
          <button type="button" class="btn btn--ghost btn--sm" onClick={() => { localStorage.removeItem(SKIP_KEY); setSkipped(false); }}>
            Set up a vault
          </button>
        </p>
      );
    }
    return <SetupView onDone={() => void refresh()} onSkip={() => { localStorage.setItem(SKIP_KEY, '1'); setSkipped(true); }} />;
  }

  if (!vault.unlocked) {
    return (
      <section class="card vault" aria-labelledby="vault-title">
        <h2 class="vault__title" id="vault-title">
          Vault locked
        </h2>
        <UnlockForm onUnlocked={() => void refresh()} autoFocus={false} />
      </section>
    );
  }

  async function lock(): Promise<void> {
    setBusy(true);
    try {
      await call('vault_lock', {});
    } finally {
      setBusy(false);
      await refresh();
    }
  }

  return (
    <section class="card vault" aria-labelledby="vault-title">
      <div class="vault__top">
        <h2 class="vault__title" id="vault-title">
          Vault <span class="badge badge--brand">Unlocked</span>
        </h2>
        <button type="button" class="btn btn--secondary btn--sm" disabled={busy} onClick={() => void lock()}>
          Lock
        </button>
      </div>
      <ul class="vault__accounts" aria-label="Accounts">
        {vault.accounts.map((a) => (
          <li key={a}>
            <code class="address">{a}</code>
          </li>
        ))}
      </ul>
      <button type="button" class="btn btn--ghost btn--sm" aria-expanded={showSettings} onClick={() => setShowSettings(!showSettings)}>
        Settings
      </button>
      {showSettings && <SettingsForm vault={vault} onSaved={() => void refresh()} />}
    </section>
  );
}
