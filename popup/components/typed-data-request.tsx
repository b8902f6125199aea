/**
 * `eth_signTypedData_v4` (EIP-712): the domain as facts, the message as a readable tree.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { AccountLine } from './account-line.js';
import { t } from '../i18n.js';
import { askSentence } from '../approval/ask-sentence.js';
import { FactList, type Fact } from './fact-list.js';
import { RequestOrigin } from './request-origin.js';
import { TitledSection } from './titled-section.js';

function Tree({ value }: { value: unknown }) {
  if (value === null || typeof value !== 'object') return <span class="tree__leaf">{String(value)}</span>;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return (
    <ul class="tree">
      {entries.map(([k, v]) => (
        <li key={k}>
          <span class="tree__key">{k}</span> <Tree value={v} />
        </li>
      ))}
    </ul>
  );
}

const DOMAIN_TERMS = { name: 'factName', version: 'factVersion', chainId: 'factChain', verifyingContract: 'factContract', salt: 'factSalt' } as const;

export function TypedDataRequest({ approval, vault = null }: { approval: Extract<ApprovalView, { kind: 'signTypedData' }>; vault?: VaultView | null }) {
  const { params, origin } = approval;
  const { domain, primaryType, message } = params.typedData;
  const facts: Fact[] = [{ term: t('factAccount'), value: <AccountLine address={params.address} vault={vault} /> }];
  for (const key of ['name', 'version', 'chainId', 'verifyingContract', 'salt'] as const) {
    if (domain[key] !== undefined) facts.push({ term: t(DOMAIN_TERMS[key]), value: String(domain[key]) });
  }
  facts.push({ term: t('factType'), value: primaryType });
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask={(d) => askSentence(approval, d)} />
      <FactList facts={facts} />
      <div class="message-box" role="region" tabIndex={0} aria-label={t('typedMessage')}>
        <p class="eyebrow">{t('typedMessage')}</p>
        <Tree value={message} />
      </div>
      {params.unsigned && params.unsigned.length > 0 && (
        <TitledSection class="message-box unsigned" id="unsigned-label" title={t('typedNotSigned')} titleClass="eyebrow" titleTag="p">
          <p class="fine-print">{t('typedNotSignedExplain')}</p>
          <ul class="tree">
            {params.unsigned.map((u) => (
              <li key={u.path}>
                <span class="tree__key">{u.path}</span> <span class="tree__leaf">{u.value}</span> <span class="badge badge--warn">{t('typedNotSignedBadge')}</span>
              </li>
            ))}
          </ul>
        </TitledSection>
      )}
    </article>
  );
}
