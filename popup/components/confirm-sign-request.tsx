/**
 * A signature of a session's `confirmTypes`, waiting for the user's click: which session, which
 * request type (by name and risk when a descriptor names it), the summary, and the body itself
 * (its fields, or a binary body's size and first bytes in hex).
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { t } from '../i18n.js';
import { riskWord } from '../approval/risk-word.js';
import { askSentence } from '../approval/ask-sentence.js';
import { FactList, type Fact } from './fact-list.js';
import { RequestOrigin } from './request-origin.js';

export function ConfirmSignRequest({ approval }: { approval: Extract<ApprovalView, { kind: 'confirmSign' }> }) {
  const { origin, params } = approval;
  const type = params.typeName ? t('confirmTypeNamed', params.typeName, params.requestType) : t('confirmTypeNumber', params.requestType);
  const facts: Fact[] = [
    { term: t('factSession'), value: params.label ?? t('confirmUnnamedSession') },
    {
      term: t('factRequest'),
      value: (
        <>
          {type} {params.risk && <span class={`badge badge--risk-${params.risk}`}>{riskWord(params.risk)}</span>}
        </>
      ),
    },
  ];
  if (params.summary) facts.push({ term: t('factSummary'), value: <strong data-testid="confirm-summary">{params.summary}</strong> });
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask={(d) => askSentence(approval, d)} />
      <FactList facts={facts} />
      {params.describedBy === 'site' && <p class="fine-print">{t('confirmDescribedBySite')}</p>}
      {params.body.kind === 'json' ? (
        <pre class="message" role="region" tabIndex={0} aria-label={t('confirmBody')} data-testid="confirm-body">
          {params.body.text}
        </pre>
      ) : (
        <p class="message" role="region" tabIndex={0} aria-label={t('confirmBody')} data-testid="confirm-body">
          {t('confirmBinaryBody', params.body.size)} <code>{params.body.hex}</code>
        </p>
      )}
      <p class="fine-print">{t('confirmFinePrint')}</p>
    </article>
  );
}
