/**
 * Settings → Accounts: each account's name, the selected one (what a new connection offers
 * by default), and "Add account" (the next m/44'/60'/0'/0/i, vault unlocked, recovery-phrase
 * vaults only).
 * @module
 */
import { useState } from 'preact/hooks';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { AccountLabel } from '../components/account-label.js';
import { FormStatus, NameField, useFormAction } from '../components/form-parts.js';
import { TitledSection } from '../components/titled-section.js';
import { t } from '../i18n.js';
import { call } from '../rpc.js';

type Run = ReturnType<typeof useFormAction>['run'];

function AccountRow({ vault, index, run }: { vault: VaultView; index: number; run: Run }) {
  const address = vault.accounts[index]!;
  const [name, setName] = useState(vault.names[index] ?? '');
  function save(e: Event): void {
    e.preventDefault();
    void run(async () => {
      await call('vault_renameAccount', { address, name });
      return t('accountsRenamed', index + 1, name.trim());
    });
  }
  return (
    <form class="account-row" onSubmit={save}>
      <div class="account-row__line">
        <NameField id={`account-name-${index}`} label={t('accountsNameLabel', index + 1)} value={name} onInput={setName} />
        <button type="submit" class="btn btn--secondary btn--sm" aria-label={t('accountsSaveNameLabel', index + 1)}>
          {t('accountsSaveName')}
        </button>
      </div>
      <AccountLabel address={address} />
    </form>
  );
}

export function AccountsPanel({ vault, onChanged }: { vault: VaultView; onChanged: () => void }) {
  const { message, busy, run } = useFormAction(onChanged);
  const [newName, setNewName] = useState('');

  function select(address: string): void {
    void run(async () => {
      await call('vault_selectAccount', { address });
      return undefined;
    });
  }
  function add(e: Event): void {
    e.preventDefault();
    void run(
      async () => {
        const view = await call('vault_addAccount', newName.trim() === '' ? {} : { name: newName });
        setNewName('');
        return t('accountsAdded', view.names[view.names.length - 1] ?? '', view.accounts[view.accounts.length - 1] ?? '');
      },
      { track: true },
    );
  }

  return (
    <TitledSection class="card panel" id="settings-accounts" title={t('vaultAccountsList')} titleClass="panel__title">
      <fieldset class="account-picker">
        <legend class="field__label">{t('accountsSelected')}</legend>
        <p class="field__hint">{t('accountsSelectedHint')}</p>
        {vault.accounts.map((a, i) => (
          <label class="check" key={a}>
            <input type="radio" name="selected-account" checked={vault.selected === a} onChange={() => select(a)} />
            <AccountLabel address={a} name={vault.names[i]} />
          </label>
        ))}
      </fieldset>
      {vault.accounts.map((a, i) => (
        // Keyed by name too, so a rename elsewhere refreshes the field.
        <AccountRow key={`${a}:${vault.names[i]}`} vault={vault} index={i} run={run} />
      ))}
      {vault.canAddAccount && vault.unlocked && (
        <form class="form" onSubmit={add}>
          <NameField id="new-account-name" label={t('accountsNewName')} value={newName} onInput={setNewName} />
          <button type="submit" class="btn btn--secondary btn--sm panel__action" disabled={busy}>
            {t('accountsAdd')}
          </button>
        </form>
      )}
      {vault.canAddAccount && !vault.unlocked && <p class="panel__text">{t('accountsUnlockToAdd')}</p>}
      <FormStatus message={message} />
    </TitledSection>
  );
}
