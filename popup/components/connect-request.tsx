/**
 * A site asks to connect (`eth_requestAccounts`, `wallet_requestPermissions`): the user ticks
 * which of the vault's accounts it will see; the selected account is ticked by default. A site
 * may ask before Keyhold has an account: the window then says so, and shows the accounts of the
 * vault the user sets up meanwhile.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { t } from '../i18n.js';
import { askSentence } from '../approval/ask-sentence.js';
import { AccountPicker } from './account-picker.js';
import { RequestOrigin } from './request-origin.js';
import { Callout } from './callout.js';

type ConnectApprovalView = Extract<ApprovalView, { kind: 'connect' }>;

/** The accounts on offer: the live vault's when it exists, else those the request was made with. */
const offered = (approval: ConnectApprovalView, vault: VaultView | null): { accounts: string[]; names: string[]; selected: string | undefined } =>
  vault?.exists
    ? { accounts: vault.accounts, names: vault.names, selected: vault.selected ?? undefined }
    : { accounts: approval.params.accounts, names: approval.params.names ?? [], selected: approval.params.selected };

/** What a connect approval ticks before the user touches it: the vault's selected account. */
export const defaultPick = (approval: ConnectApprovalView, vault: VaultView | null): string[] => {
  const o = offered(approval, vault);
  return [(o.selected ?? o.accounts[0] ?? '').toLowerCase()].filter(Boolean);
};

export interface ConnectRequestProps {
  approval: ConnectApprovalView;
  vault: VaultView | null;
  picked: string[];
  onPick: (picked: string[]) => void;
}

export function ConnectRequest({ approval, vault, picked, onPick }: ConnectRequestProps) {
  const { accounts, names } = offered(approval, vault);
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={approval.origin} ask={(domain) => askSentence(approval, domain)} />
      {accounts.length === 0 ? (
        // Asked before Keyhold had an account: the site is not told; the user may set one up.
        <Callout tone="warn">{t('connectNoAccount')}</Callout>
      ) : (
        <>
          <AccountPicker legend={t('connectLegend')} accounts={accounts} names={names} picked={picked} onChange={onPick} />
          {picked.length === 0 && (
            <p class="form__error" role="alert">
              {t('connectPickOne')}
            </p>
          )}
        </>
      )}
      <p class="fine-print">{t('connectFinePrint')}</p>
    </article>
  );
}
