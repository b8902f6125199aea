/**
 * `personal_sign`: the message as text (or hex); a Sign-In with Ethereum message field by
 * field. A sign-in for another site than the one asking is flagged plainly and needs a
 * deliberate second confirmation (a checkbox) before Approve works.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { AccountLine } from './account-line.js';
import { originParts } from '../format.js';
import { t } from '../i18n.js';
import { askSentence } from '../approval/ask-sentence.js';
import { tRich } from '../approval/t-rich.js';
import { FactList, type Fact } from './fact-list.js';
import { RequestOrigin } from './request-origin.js';
import { Callout } from './callout.js';

export interface SignMessageRequestProps {
  approval: Extract<ApprovalView, { kind: 'personalSign' }>;
  /** The vault, for the account's name and checksummed address. */
  vault?: VaultView | null;
  acknowledged: boolean;
  onAcknowledge: (value: boolean) => void;
}

export function SignMessageRequest({ approval, vault = null, acknowledged, onAcknowledge }: SignMessageRequestProps) {
  const { params, origin } = approval;
  const siwe = params.siwe;
  const facts: Fact[] = [{ term: t('factAccount'), value: <AccountLine address={params.address} vault={vault} /> }];
  const siteWords: Fact[] = [];
  if (siwe) {
    facts.push(
      { term: t('factDomain'), value: siwe.domain },
      { term: t('factAddress'), value: <code class="address">{siwe.address}</code> },
    );
    if (siwe.statement !== null) siteWords.push({ term: t('factStatement'), value: <span class="quoted">{siwe.statement}</span> });
    facts.push(
      { term: t('factUri'), value: siwe.uri },
      { term: t('factChain'), value: String(siwe.chainId) },
      { term: t('factNonce'), value: siwe.nonce },
      { term: t('factIssued'), value: siwe.issuedAt },
    );
    if (siwe.expirationTime !== null) facts.push({ term: t('factExpires'), value: siwe.expirationTime });
    if (siwe.notBefore !== null) facts.push({ term: t('factNotBefore'), value: siwe.notBefore });
  }
  const claimed = siwe?.domain ?? params.text?.split('\n', 1)[0]?.split(' ')[0] ?? '';
  const mismatch = params.siweDomainMismatch;
  const otherAccount = params.siweAddressMismatch === true;
  const named = siwe?.address ?? params.text?.split('\n', 3)[1]?.trim() ?? '';
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask={(domain) => askSentence(approval, domain)} siteWords={siteWords} />
      {mismatch && (
        <Callout tone="danger" alert>{tRich('signInOtherSite', <strong>{claimed}</strong>, <strong>{originParts(origin).host}</strong>)}</Callout>
      )}
      {otherAccount && (
        <Callout tone="danger" alert>{tRich('signInOtherAccount', <code class="address">{named || t('signInNoAccount')}</code>, <code class="address">{params.address}</code>)}</Callout>
      )}
      <FactList facts={facts} />
      {!siwe && (
        <div class="message-box">
          <p class="eyebrow" id="message-label">
            {params.text === null ? t('signMessageHex') : t('signMessage')}
          </p>
          <pre class="message" role="region" aria-labelledby="message-label" tabIndex={0}>
            {params.text ?? params.messageHex}
          </pre>
        </div>
      )}
      {(mismatch || otherAccount) && (
        <label class="check">
          <input type="checkbox" checked={acknowledged} onChange={(e) => onAcknowledge((e.currentTarget as HTMLInputElement).checked)} />
          <span>{mismatch && otherAccount ? t('signInAckBoth', claimed) : mismatch ? t('signInAckSite', claimed) : t('signInAckAccount')}</span>
        </label>
      )}
      <p class="fine-print">{t('signFinePrint')}</p>
    </article>
  );
}
