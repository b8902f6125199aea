/**
 * The vault on Home (below the sessions) and at the end of the onboarding tab: unlock it, or
 * (unlocked) its accounts, each with its identicon, name and address, and Lock. Setting a vault
 * up happens in the onboarding tab (`onboarding-app.tsx`); Settings holds its preferences.
 * @module
 */
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { AccountLabel } from '../components/account-label.js';
import { UnlockForm } from '../components/unlock-form.js';
import { t } from '../i18n.js';
import { useLock } from './use-lock.js';

const SKIP_KEY = 'keyhold.vault.skipped';

/** Whether the user chose to go on without a vault (the first-run banner stays hidden). */
export const vaultSkipped = (): boolean => localStorage.getItem(SKIP_KEY) === '1';
export const setVaultSkipped = (skipped: boolean): void =>
  skipped ? localStorage.setItem(SKIP_KEY, '1') : localStorage.removeItem(SKIP_KEY);

export interface VaultPanelProps {
  vault: VaultView;
  onChanged: () => void;
  /** Show each account's whole checksummed address (to compare it), not the short form. */
  fullAddresses?: boolean;
}

export function VaultPanel({ vault, onChanged, fullAddresses = false }: VaultPanelProps) {
  const { busy, lock } = useLock(onChanged);
  if (!vault.exists) return null;

  if (!vault.unlocked) {
    return (
      <section class="card vault" aria-labelledby="vault-title">
        <h2 class="vault__title" id="vault-title">
          {t('vaultLocked')}
        </h2>
        <UnlockForm onUnlocked={onChanged} autoFocus={false} passkeys={vault.passkeys} intro={t('vaultUnlockIntro')} />
      </section>
    );
  }

  return (
    <section class="vault-bar vault-bar--unlocked" aria-labelledby="vault-title">
      <div class="vault-bar__top">
        <h2 class="vault-bar__title" id="vault-title">
          {vault.accounts.length === 1 ? t('vaultAccount') : t('vaultAccounts')}
        </h2>
        <button type="button" class="btn btn--ghost btn--xs" disabled={busy} onClick={() => void lock()}>
          {t('vaultLock')}
        </button>
      </div>
      <ul class="vault__accounts" aria-label={t('vaultAccountsList')}>
        {vault.accounts.map((a, i) => (
          <li key={a}>
            <AccountLabel address={a} name={vault.names[i]} full={fullAddresses} />
            {vault.accounts.length > 1 && vault.selected === a && <span class="badge badge--neutral">{t('vaultSelected')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
