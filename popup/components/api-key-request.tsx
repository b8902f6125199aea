/**
 * `keyhold_createApiKey`: a new API key for the site, which the master key vouches for.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { FactList } from './fact-list.js';
import { OriginName } from './origin-name.js';
import { RequestOrigin } from './request-origin.js';

export function ApiKeyRequest({ approval }: { approval: Extract<ApprovalView, { kind: 'createApiKey' }> }) {
  const { params, origin } = approval;
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask="wants an API key signed by your master key" />
      <FactList
        facts={[
          { term: 'Name', value: <span class="quoted">{params.name}</span> },
          { term: 'Valid until', value: new Date(params.validUntil).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' },
          { term: 'Account', value: <code class="address">{params.address}</code> },
          ...(params.service ? [{ term: 'Service', value: <OriginName origin={params.service.baseUrl} /> }] : []),
        ]}
      />
      <p class="callout callout--warn">
        <span class="callout__icon" aria-hidden="true">!</span>
        <span>An API key can act for this account at the site's service until it expires or you revoke it there.</span>
      </p>
    </article>
  );
}
