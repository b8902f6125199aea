/**
 * `personal_sign`: the message as text (or hex); a Sign-In with Ethereum message field by
 * field. A sign-in for another site than the one asking is flagged plainly and needs a
 * deliberate second confirmation (a checkbox) before Approve works.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { originParts } from '../format.js';
import { FactList, type Fact } from './fact-list.js';
import { RequestOrigin } from './request-origin.js';

export interface SignMessageRequestProps {
  approval: Extract<ApprovalView, { kind: 'personalSign' }>;
  acknowledged: boolean;
  onAcknowledge: (value: boolean) => void;
}

export function SignMessageRequest({ approval, acknowledged, onAcknowledge }: SignMessageRequestProps) {
  const { params, origin } = approval;
  const siwe = params.siwe;
  const facts: Fact[] = [{ term: 'Account', value: <code class="address">{params.address}</code> }];
  if (siwe) {
    facts.push(
      { term: 'Domain', value: siwe.domain },
      { term: 'Address', value: <code class="address">{siwe.address}</code> },
    );
    if (siwe.statement !== null) facts.push({ term: 'Statement', value: <span class="quoted">{siwe.statement}</span> });
    facts.push(
      { term: 'URI', value: siwe.uri },
      { term: 'Chain', value: String(siwe.chainId) },
      { term: 'Nonce', value: siwe.nonce },
      { term: 'Issued', value: siwe.issuedAt },
    );
    if (siwe.expirationTime !== null) facts.push({ term: 'Expires', value: siwe.expirationTime });
    if (siwe.notBefore !== null) facts.push({ term: 'Not before', value: siwe.notBefore });
  }
  const claimed = siwe?.domain ?? params.text?.split('\n', 1)[0]?.split(' ')[0] ?? '';
  const mismatch = params.siweDomainMismatch;
  const otherAccount = params.siweAddressMismatch === true;
  const named = siwe?.address ?? params.text?.split('\n', 3)[1]?.trim() ?? '';
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask={siwe || mismatch || otherAccount ? 'asks you to sign in with Ethereum' : 'asks you to sign a message'} />
      {mismatch && (
        <div class="callout callout--danger" role="alert">
          <span class="callout__icon" aria-hidden="true">!</span>
          <span>
            This sign-in is for <strong>{claimed}</strong>, not for <strong>{originParts(origin).host}</strong>, the site asking. A site
            that asks you to sign in somewhere else may be trying to take over your account there.
          </span>
        </div>
      )}
      {otherAccount && (
        <div class="callout callout--danger" role="alert">
          <span class="callout__icon" aria-hidden="true">!</span>
          <span>
            This sign-in names the account <code class="address">{named || '(none)'}</code>, not <code class="address">{params.address}</code>, the
            account that would sign it. A site that has you sign in as someone else may be trying to pass your signature off as theirs.
          </span>
        </div>
      )}
      <FactList facts={facts} />
      {!siwe && (
        <div class="message-box">
          <p class="eyebrow" id="message-label">
            Message{params.text === null ? ' (bytes, hex)' : ''}
          </p>
          <pre class="message" role="region" aria-labelledby="message-label" tabIndex={0}>
            {params.text ?? params.messageHex}
          </pre>
        </div>
      )}
      {(mismatch || otherAccount) && (
        <label class="check">
          <input type="checkbox" checked={acknowledged} onChange={(e) => onAcknowledge((e.currentTarget as HTMLInputElement).checked)} />
          <span>
            {mismatch && otherAccount
              ? `I understand this signs me in to ${claimed}, not to this site, for another account than mine.`
              : mismatch
                ? `I understand this signs me in to ${claimed}, not to this site.`
                : 'I understand this sign-in names another account than the one signing.'}
          </span>
        </label>
      )}
      <p class="fine-print">Signing proves you control this account. Keyhold never sends a transaction.</p>
    </article>
  );
}
