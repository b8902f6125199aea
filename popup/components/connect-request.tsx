/**
 * A site asks to connect (`eth_requestAccounts`, `wallet_requestPermissions`): which accounts
 * it would see.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { FactList } from './fact-list.js';
import { RequestOrigin } from './request-origin.js';

export function ConnectRequest({ approval }: { approval: Extract<ApprovalView, { kind: 'connect' }> }) {
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={approval.origin} ask="wants to connect to your Keyhold accounts" />
      {approval.params.accounts.length === 0 ? (
        // Asked before Keyhold had an account: the site is not told; the user may set one up.
        <p class="callout callout--warn">
          <span class="callout__icon" aria-hidden="true">!</span>
          <span>
            Keyhold has no account yet. To connect this site, set one up from the Keyhold button in the toolbar, then
            approve; or reject.
          </span>
        </p>
      ) : (
        <FactList facts={approval.params.accounts.map((a, i) => ({ term: `Account ${i + 1}`, value: <code class="address">{a}</code> }))} />
      )}
      <p class="fine-print">
        The site will see these addresses and may ask you to sign messages. Nothing is signed without your approval.
      </p>
    </article>
  );
}
