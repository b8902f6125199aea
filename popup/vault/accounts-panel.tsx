/**
 * Settings → Accounts: each account's name, the selected one (what a new connection offers
 * by default), and "Add account" (the next m/44'/60'/0'/0/i, vault unlocked, recovery-phrase
 * vaults only).
 * @module
 */
import { useState } from 'preact/hooks';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { AccountLabel } from '../components/account-label.js';
import { t } from '../i18n.js';
import { call } from '../rpc.js';

function AccountRow({ vault, index, onChanged, setMessage }: { vault: VaultView; index: number; onChanged: () => void; setMessage: (m: { ok: boolean; text: string }) => void }) {
  const address = vault.accounts[index]!;
  const [name, setName] = useState(vault.names[index] ?? '');
  const id = `account-name-${index}`;
  async function save(e: Event): Promise<void> {
    e.preventDefault();
    try {
      await call('vault_renameAccount', { address, name });
      setMessage({ ok: true, text: t('accountsRenamed', index + 1, name.trim()) });
      onChanged();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  }
  return (
    <form class="account-row" onSubmit={(e) => void save(e)}>
      <div class="account-row__line">
        <div class="field">
          <label class="field__label" for={id}>
            {t('accountsNameLabel', index + 1)}
          </label>
          <input class="field__input" id={id} type="text" maxLength={64} autocomplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <button type="submit" class="btn btn--secondary btn--sm" aria-label={t('accountsSaveNameLabel', index + 1)}>
          {t('accountsSaveName')}
        </button>
      </div>
      <AccountLabel address={address} />
    </form>
  );
}

export function AccountsPanel({ vault, onChanged }: { vault: VaultView; onChanged: () => void }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [newName, setNewName] = useState('');
  const [busy, setBusy] = useState(false);

  async function select(address: string): Promise<void> {
    try {
      await call('vault_selectAccount', { address });
      onChanged();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  }
  async function add(e: Event): Promise<void> {
    e.preventDefault();
    setBusy(true);
    try {
      const view = await call('vault_addAccount', newName.trim() === '' ? {} : { name: newName });
      setNewName('');
      setMessage({ ok: true, text: t('accountsAdded', view.names[view.names.length - 1] ?? '', view.accounts[view.accounts.length - 1] ?? '') });
      onChanged();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card panel" aria-labelledby="settings-accounts">
      <h2 class="panel__title" id="settings-accounts">
        {t('vaultAccountsList')}
      </h2>
      <fieldset class="account-picker">
        <legend class="field__label">{t('accountsSelected')}</legend>
        <p class="field__hint">{t('accountsSelectedHint')}</p>
        {vault.accounts.map((a, i) => (
          <label class="check" key={a}>
            <input type="radio" name="selected-account" checked={vault.selected === a} onChange={() => void select(a)} />
            <AccountLabel address={a} name={vault.names[i]} />
          </label>
        ))}
      </fieldset>
      {vault.accounts.map((a, i) => (
        // Keyed by name too, so a rename elsewhere refreshes the field.
        <AccountRow key={`${a}:${vault.names[i]}`} vault={vault} index={i} onChanged={onChanged} setMessage={setMessage} />
      ))}
      {vault.canAddAccount && vault.unlocked && (
        <form class="form" onSubmit={(e) => void add(e)}>
          <div class="field">
            <label class="field__label" for="new-account-name">
              {t('accountsNewName')}
            </label>
            <input class="field__input" id="new-account-name" type="text" maxLength={64} autocomplete="off" value={newName} onInput={(e) => setNewName(e.currentTarget.value)} />
          </div>
          <button type="submit" class="btn btn--secondary btn--sm panel__action" disabled={busy}>
            {t('accountsAdd')}
          </button>
        </form>
      )}
      {vault.canAddAccount && !vault.unlocked && <p class="panel__text">{t('accountsUnlockToAdd')}</p>}
      <p class={`form__status ${message?.ok === false ? 'form__status--error' : ''}`} role="status">
        {message?.text ?? ''}
      </p>
    </section>
  );
}
