/**
 * `eth_signTypedData_v4` (EIP-712): the domain as facts, the message as a readable tree.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { FactList, type Fact } from './fact-list.js';
import { RequestOrigin } from './request-origin.js';

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

export function TypedDataRequest({ approval }: { approval: Extract<ApprovalView, { kind: 'signTypedData' }> }) {
  const { params, origin } = approval;
  const { domain, primaryType, message } = params.typedData;
  const facts: Fact[] = [{ term: 'Account', value: <code class="address">{params.address}</code> }];
  for (const key of ['name', 'version', 'chainId', 'verifyingContract', 'salt'] as const) {
    if (domain[key] !== undefined) facts.push({ term: key === 'chainId' ? 'Chain' : key === 'verifyingContract' ? 'Contract' : key[0]!.toUpperCase() + key.slice(1), value: String(domain[key]) });
  }
  facts.push({ term: 'Type', value: primaryType });
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask="asks you to sign typed data" />
      <FactList facts={facts} />
      <div class="message-box" role="region" tabIndex={0} aria-label="Message">
        <p class="eyebrow">Message</p>
        <Tree value={message} />
      </div>
      {params.unsigned && params.unsigned.length > 0 && (
        <section class="message-box unsigned" aria-labelledby="unsigned-label">
          <p class="eyebrow" id="unsigned-label">
            Not signed
          </p>
          <p class="fine-print">
            The site sent these fields, but its types do not declare them, so EIP-712 leaves them out of the signature. They are shown
            for what they are: nothing you sign here commits you to them.
          </p>
          <ul class="tree">
            {params.unsigned.map((u) => (
              <li key={u.path}>
                <span class="tree__key">{u.path}</span> <span class="tree__leaf">{u.value}</span> <span class="badge badge--warn">not signed</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
