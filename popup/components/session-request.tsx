/**
 * One `createSession` request, in plain words: who asks (the origin, host emphasised), and what
 * the key would be allowed to do, for how long, on which account.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { describeRequestTypes, formatDuration, subaccountLabel } from '../format.js';
import { FactList, type Fact } from './fact-list.js';
import { LoginConsentView } from './login-consent.js';
import { RequestOrigin } from './request-origin.js';
import { RoleBadge } from './role-badge.js';
import { PolicyRequest } from './policy-request.js';

export interface SessionRequestProps {
  approval: Extract<ApprovalView, { kind: 'createSession' }>;
  acknowledged: boolean;
  onAcknowledge: (v: boolean) => void;
}

export function SessionRequest({ approval, acknowledged, onAcknowledge }: SessionRequestProps) {
  const { origin, params } = approval;
  const facts: Fact[] = [
    { term: 'Access', value: <RoleBadge role={params.role} /> },
    { term: 'Lasts', value: formatDuration(params.ttlSeconds) },
    { term: 'Account', value: subaccountLabel(params.subaccountIndex) },
    { term: 'Request types', value: describeRequestTypes(params.requestTypes) },
  ];
  if (params.label !== null) facts.push({ term: 'Label', value: <span class="quoted">{params.label}</span> });

  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask="wants a session key" />
      <FactList facts={facts} />
      <PolicyRequest approval={approval} />
      {params.login && <LoginConsentView login={params.login} acknowledged={acknowledged} onAcknowledge={onAcknowledge} />}
      {params.role === 'FULL_ACCESS' && (
        <p class="callout callout--danger">
          <span class="callout__icon" aria-hidden="true">!</span>
          <span>
            Full access lets this key do anything your account can, not only trade. Approve only if you trust this
            site completely.
          </span>
        </p>
      )}
      <p class="fine-print">
        The private key stays inside Keyhold. The site can ask Keyhold to sign with it until it expires or you revoke
        it from the toolbar.
      </p>
    </article>
  );
}
