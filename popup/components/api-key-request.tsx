/**
 * `keyhold_createApiKey`: a new API key for the site, which the master key vouches for. The
 * key's name is the site's own words.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { AccountLine } from './account-line.js';
import { t } from '../i18n.js';
import { askSentence } from '../approval/ask-sentence.js';
import { FactList } from './fact-list.js';
import { OriginName } from './origin-name.js';
import { RequestOrigin } from './request-origin.js';
import { Callout } from './callout.js';

export function ApiKeyRequest({ approval, vault = null }: { approval: Extract<ApprovalView, { kind: 'createApiKey' }>; vault?: VaultView | null }) {
  const { params, origin } = approval;
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask={(d) => askSentence(approval, d)} siteWords={[{ term: t('factName'), value: <span class="quoted">{params.name}</span> }]} />
      <FactList
        facts={[
          { term: t('factValidUntil'), value: new Date(params.validUntil).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' },
          { term: t('factAccount'), value: <AccountLine address={params.address} vault={vault} /> },
          ...(params.service ? [{ term: t('factService'), value: <OriginName origin={params.service.baseUrl} /> }] : []),
        ]}
      />
      <Callout tone="warn">{t('apiKeyWarning')}</Callout>
    </article>
  );
}
