/**
 * Picks the view of a request by its kind; requests the master key must sign show the unlock
 * form first while the vault is locked.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { ApiKeyRequest } from './api-key-request.js';
import { ChainRequest } from './chain-request.js';
import { ConnectRequest } from './connect-request.js';
import { ConfirmSignRequest } from './confirm-sign-request.js';
import { SessionRequest } from './session-request.js';
import { SignMessageRequest } from './sign-message-request.js';
import { TypedDataRequest } from './typed-data-request.js';
import { UnlockForm } from './unlock-form.js';
import { t } from '../i18n.js';

/** Kinds whose approval makes the master key sign. */
export const needsMaster = (a: ApprovalView): boolean =>
  a.kind === 'personalSign' || a.kind === 'signTypedData' || a.kind === 'createApiKey' || (a.kind === 'createSession' && a.params.login?.signer === 'vault');

/** A request that needs the user's second, deliberate confirmation (the worker refuses it without). */
export const needsAcknowledgement = (a: ApprovalView): boolean =>
  (a.kind === 'personalSign' && (a.params.siweDomainMismatch || a.params.siweAddressMismatch === true)) ||
  (a.kind === 'createSession' && a.params.login?.crossSite === true);

/** The window's heading, by request kind (a sign-in and an added chain read differently). */
const TITLES: Record<ApprovalView['kind'], (a: ApprovalView) => string> = {
  createSession: () => t('approvalTitleSession'),
  connect: () => t('approvalTitleConnect'),
  personalSign: (a) => (a.kind === 'personalSign' && a.params.siwe ? t('approvalTitleSignIn') : t('approvalTitleSignature')),
  signTypedData: () => t('approvalTitleSignature'),
  confirmSign: () => t('approvalTitleSignature'),
  createApiKey: () => t('approvalTitleApiKey'),
  switchChain: (a) => (a.kind === 'switchChain' && a.params.add ? t('approvalTitleAddChain') : t('approvalTitleSwitchChain')),
};

export const approvalTitle = (a: ApprovalView): string => TITLES[a.kind](a);

export interface ApprovalBodyProps {
  approval: ApprovalView;
  vault: VaultView | null;
  onVaultChanged: () => void;
  acknowledged: boolean;
  onAcknowledge: (v: boolean) => void;
  /** A connect request: the accounts ticked. */
  picked: string[];
  onPick: (picked: string[]) => void;
}

export function ApprovalBody({ approval, vault, onVaultChanged, acknowledged, onAcknowledge, picked, onPick }: ApprovalBodyProps) {
  const locked = needsMaster(approval) && vault !== null && !vault.unlocked;
  const view = (() => {
    switch (approval.kind) {
      case 'createSession':
        return <SessionRequest approval={approval} acknowledged={acknowledged} onAcknowledge={onAcknowledge} />;
      case 'connect':
        return <ConnectRequest approval={approval} vault={vault} picked={picked} onPick={onPick} />;
      case 'personalSign':
        return <SignMessageRequest approval={approval} vault={vault} acknowledged={acknowledged} onAcknowledge={onAcknowledge} />;
      case 'signTypedData':
        return <TypedDataRequest approval={approval} vault={vault} />;
      case 'createApiKey':
        return <ApiKeyRequest approval={approval} vault={vault} />;
      case 'switchChain':
        return <ChainRequest approval={approval} />;
      case 'confirmSign':
        return <ConfirmSignRequest approval={approval} />;
    }
  })();
  return (
    <>
      {locked && (
        <section class="card unlock-card" aria-label={t('approvalUnlockRegion')}>
          <UnlockForm onUnlocked={onVaultChanged} passkeys={vault?.passkeys} intro={t('approvalUnlockIntro')} />
        </section>
      )}
      {view}
    </>
  );
}
