/**
 * A signature of a session's `confirmTypes`, waiting for the user's click: which session, which
 * request type (by name and risk when a descriptor names it), the summary, and the body itself
 * (its fields, or a binary body's size and first bytes in hex).
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { FactList, type Fact } from './fact-list.js';
import { RequestOrigin } from './request-origin.js';

export function ConfirmSignRequest({ approval }: { approval: Extract<ApprovalView, { kind: 'confirmSign' }> }) {
  const { origin, params } = approval;
  const type = params.typeName ? `${params.typeName} (type ${params.requestType})` : `type ${params.requestType}`;
  const facts: Fact[] = [
    { term: 'Session', value: params.label ?? 'Unnamed session' },
    {
      term: 'Request',
      value: (
        <>
          {type} {params.risk && <span class={`badge badge--risk-${params.risk}`}>{params.risk}</span>}
        </>
      ),
    },
  ];
  if (params.summary) facts.push({ term: 'Summary', value: <strong data-testid="confirm-summary">{params.summary}</strong> });
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask="wants this request signed" />
      <FactList facts={facts} />
      {params.describedBy === 'site' && <p class="fine-print">The request type's name is the site's own description, not the service's.</p>}
      {params.body.kind === 'json' ? (
        <pre class="message" role="region" tabIndex={0} aria-label="Request body" data-testid="confirm-body">{params.body.text}</pre>
      ) : (
        <p class="message" role="region" tabIndex={0} aria-label="Request body" data-testid="confirm-body">
          Binary body, {params.body.size} bytes: <code>{params.body.hex}</code>
        </p>
      )}
      <p class="fine-print">This session asks you before it signs requests of this type. Reject and nothing is signed.</p>
    </article>
  );
}
