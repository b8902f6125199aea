/**
 * One `createSession` request, in plain words: who asks and what for ("… wants to sign “Place
 * order” requests for you for 2 hours"), then the details: access, lifetime, account, request
 * types, the policy and the service login. The page's label is the site's own words, shown apart.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { describeRequestTypes, formatDuration, subaccountLabel } from '../format.js';
import { t } from '../i18n.js';
import { askSentence } from '../approval/ask-sentence.js';
import { FactList, type Fact } from './fact-list.js';
import { LoginConsentView } from './login-consent.js';
import { RequestOrigin } from './request-origin.js';
import { RoleBadge } from './role-badge.js';
import { PolicyRequest } from './policy-request.js';
import { Callout } from './callout.js';

export interface SessionRequestProps {
  approval: Extract<ApprovalView, { kind: 'createSession' }>;
  acknowledged: boolean;
  onAcknowledge: (v: boolean) => void;
}

export function SessionRequest({ approval, acknowledged, onAcknowledge }: SessionRequestProps) {
  const { origin, params } = approval;
  const facts: Fact[] = [
    { term: t('factAccess'), value: <RoleBadge role={params.role} /> },
    { term: t('factLasts'), value: formatDuration(params.ttlSeconds) },
    { term: t('factAccount'), value: subaccountLabel(params.subaccountIndex) },
    { term: t('factRequestTypes'), value: describeRequestTypes(params.requestTypes) },
  ];
  const siteWords: Fact[] = params.label !== null ? [{ term: t('factLabel'), value: <span class="quoted">{params.label}</span> }] : [];

  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask={(domain) => askSentence(approval, domain)} siteWords={siteWords} />
      <FactList facts={facts} />
      <PolicyRequest approval={approval} />
      {params.login && <LoginConsentView login={params.login} acknowledged={acknowledged} onAcknowledge={onAcknowledge} />}
      {params.role === 'FULL_ACCESS' && (
        <Callout tone="danger">{t('sessionFullAccessWarning')}</Callout>
      )}
      <p class="fine-print">{t('sessionFinePrint')}</p>
    </article>
  );
}
