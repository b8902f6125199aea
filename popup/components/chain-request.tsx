/**
 * `wallet_switchEthereumChain` and `wallet_addEthereumChain`: the chain Keyhold would switch to.
 * The chain id decides EIP-712 domains and SIWE chain ids, so the user sees every switch; a
 * chain the site adds is shown with what the site says of it (its RPC, currency, explorer),
 * which Keyhold keeps but never calls: it does not talk to a node.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { chainDecimal } from '../../src/protocol/chains.js';
import { t } from '../i18n.js';
import { askSentence } from '../approval/ask-sentence.js';
import { FactList, type Fact } from './fact-list.js';
import { RequestOrigin } from './request-origin.js';
import { Callout } from './callout.js';

const label = (c: { chainId: string; name: string | null }): string => t('chainLabel', c.name ?? t('chainUnnamed'), chainDecimal(c.chainId));

export function ChainRequest({ approval }: { approval: Extract<ApprovalView, { kind: 'switchChain' }> }) {
  const { params, origin } = approval;
  const facts: Fact[] = [
    { term: t('factFrom'), value: label(params.from) },
    { term: t('factTo'), value: <strong>{label(params.to)}</strong> },
  ];
  if (params.add) {
    facts.push({ term: t('factRpc'), value: <code>{params.add.rpcUrls[0]}</code> });
    if (params.add.nativeCurrency) facts.push({ term: t('factCurrency'), value: `${params.add.nativeCurrency.symbol} (${params.add.nativeCurrency.name})` });
    if (params.add.blockExplorerUrls[0]) facts.push({ term: t('factExplorer'), value: <code>{params.add.blockExplorerUrls[0]}</code> });
  }
  return (
    <article class="card request" aria-labelledby="request-origin">
      <RequestOrigin origin={origin} ask={(d) => askSentence(approval, d)} />
      <FactList facts={facts} />
      {params.add && (
        <Callout tone="warn">{t('chainAddWarning')}</Callout>
      )}
      <p class="fine-print">{t('chainFinePrint')}</p>
    </article>
  );
}
