/**
 * A connected site's accounts on Home: which of the vault's accounts it sees, and "Change
 * accounts" to tick others (at least one). Saving tells the site's pages (`accountsChanged`).
 * @module
 */
import { useState } from 'preact/hooks';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { AccountLabel } from '../components/account-label.js';
import { AccountPicker } from '../components/account-picker.js';
import { t } from '../i18n.js';
import { call } from '../rpc.js';

export interface SiteAccountsProps {
  origin: string;
  /** Lower-case addresses the site sees now. */
  accounts: string[];
  vault: VaultView;
  headingId: string;
  onSaved: (message: string) => Promise<void>;
}

export function SiteAccounts({ origin, accounts, vault, headingId, onSaved }: SiteAccountsProps) {
  const [editing, setEditing] = useState(false);
  const [picked, setPicked] = useState(accounts);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const nameOf = (a: string) => vault.names[vault.accounts.findIndex((x) => x.toLowerCase() === a)] ?? a;
  const host = new URL(origin).host;

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await call('permission_setAccounts', { origin, accounts: picked });
      setEditing(false);
      await onSaved(t('siteAccountsSaved', host, picked.map(nameOf).join(', ')));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  if (!editing) {
    return (
      <div class="site-accounts">
        <p class="panel__text site-accounts__list">
          <span>{t('siteAccountsSees')}</span>
          {accounts.map((a) => (
            <AccountLabel key={a} address={a} name={vault.names[vault.accounts.findIndex((x) => x.toLowerCase() === a)]} />
          ))}
        </p>
        {vault.accounts.length > 1 && (
          <button
            type="button"
            class="btn btn--secondary btn--sm panel__action"
            aria-describedby={headingId}
            onClick={() => {
              setPicked(accounts);
              setEditing(true);
            }}
          >
            {t('siteAccountsChange')}
          </button>
        )}
      </div>
    );
  }
  return (
    <form class="site-accounts" onSubmit={(e) => void save(e)}>
      <AccountPicker legend={t('siteAccountsLegend', host)} accounts={vault.accounts} names={vault.names} picked={picked} onChange={setPicked} disabled={busy} />
      <p class="form__error" role="alert">
        {picked.length === 0 ? t('siteAccountsNone') : error}
      </p>
      <div class="form__row">
        <button type="button" class="btn btn--ghost btn--sm" onClick={() => setEditing(false)}>
          {t('cancel')}
        </button>
        <button type="submit" class="btn btn--primary btn--sm" disabled={busy || picked.length === 0}>
          {t('siteAccountsSave')}
        </button>
      </div>
    </form>
  );
}
