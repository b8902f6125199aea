/**
 * Settings: the vault (unlock, Lock, or set one up), the auto-lock time and the chain id
 * `eth_chainId` answers, and what this build is.
 * @module
 */
import browser from 'webextension-polyfill';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { UnlockForm } from '../components/unlock-form.js';
import { ErrorNotice, Loading } from '../components/status-views.js';
import type { Remote } from '../hooks/use-remote.js';
import { useLock } from '../vault/use-lock.js';
import { SettingsForm } from '../vault/settings-form.js';
import { setVaultSkipped } from '../vault/vault-panel.js';
import { AccountsPanel } from '../vault/accounts-panel.js';
import { t } from '../i18n.js';
import { PasskeysPanel } from '../vault/passkeys-panel.js';

export interface SettingsViewProps {
  vault: Remote<VaultView>;
  onVaultChanged: () => void;
  reloadVault: () => void;
  /** Opens the onboarding tab, where the vault is set up. */
  onSetUp: () => void;
}

export function SettingsView({ vault, onVaultChanged, reloadVault, onSetUp }: SettingsViewProps) {
  const { busy, lock } = useLock(onVaultChanged);
  if (vault.status === 'loading') return <Loading label={t('settingsLoading')} />;
  if (vault.status === 'error') return <ErrorNotice title={t('settingsLoadError')} error={vault.error} onRetry={reloadVault} />;
  const v = vault.data;


  return (
    <>
      <h1 class="page-title">{t('tabSettings')}</h1>
      <section class="card panel" aria-labelledby="settings-vault">
        <div class="vault__top">
          <h2 class="panel__title" id="settings-vault">
            {t('settingsVault')}
          </h2>
          <span class={`badge badge--dot ${v.unlocked ? 'badge--ok' : 'badge--neutral'}`}>{!v.exists ? t('settingsVaultNone') : v.unlocked ? t('vaultUnlockedBadge') : t('vaultLockedBadge')}</span>
        </div>
        {!v.exists ? (
          <>
            <p class="panel__text">{t('settingsNoVault')}</p>
            <button
              type="button"
              class="btn btn--secondary btn--sm"
              onClick={() => {
                setVaultSkipped(false);
                onSetUp();
              }}
            >
              {t('settingsSetUp')}
            </button>
          </>
        ) : !v.unlocked ? (
          <UnlockForm onUnlocked={onVaultChanged} autoFocus={false} passkeys={v.passkeys} />
        ) : (
          <>
            <p class="panel__text">{t('settingsUnlockedUntil', v.autoLockMinutes)}</p>
            <button type="button" class="btn btn--secondary btn--sm panel__action" disabled={busy} onClick={() => void lock()}>
              {t('vaultLock')}
            </button>
          </>
        )}
      </section>
      {v.exists && <AccountsPanel vault={v} onChanged={onVaultChanged} />}
      {v.exists && <PasskeysPanel vault={v} onChanged={onVaultChanged} />}
      <section class="card panel" aria-labelledby="settings-prefs">
        <h2 class="panel__title" id="settings-prefs">
          {t('settingsPrefs')}
        </h2>
        <SettingsForm vault={v} onSaved={onVaultChanged} />
      </section>
      <p class="fine-print about">
        {t('settingsAbout', browser.runtime.getManifest().version)}
      </p>
    </>
  );
}
