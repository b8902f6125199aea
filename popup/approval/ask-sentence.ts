/**
 * What a request asks, in one plain sentence that starts with who asks: "exchange.example wants
 * to sign “Place order” requests for you for 2 hours." The request types are named as the
 * session's descriptor names them (the service's words, or the site's), else by number.
 * No DOM: the window renders the sentence, the unit tests read it.
 * @module
 */
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { chainDecimal } from '../../src/protocol/chains.js';
import { formatDuration } from '../format.js';
import { t, uiLanguage } from '../i18n.js';

/** "A, B and C" in the user's language. */
export function listWords(items: readonly string[]): string {
  try {
    return new Intl.ListFormat(uiLanguage(), { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

/**
 * A descriptor's name for reading aloud: "PlaceOrder" → "Place order", "list_sessions" →
 * "List sessions"; a name with spaces is kept as written.
 */
export function readableName(name: string): string {
  if (/\s/.test(name.trim())) return name.trim();
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .split(/\s+/);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w.toLowerCase())).join(' ');
}

const quoted = (s: string) => t('approvalQuoted', s);

/** The sentence for `approval`, with `domain` (who asks) as its subject. */
export function askSentence(approval: ApprovalView, domain: string): string {
  switch (approval.kind) {
    case 'createSession': {
      const { params } = approval;
      const lasts = formatDuration(params.ttlSeconds);
      const descriptor = params.descriptor?.descriptor;
      if (params.requestTypes === null) return t('askSessionAny', domain, lasts);
      if (params.requestTypes.length === 0) return t('askSessionNothing', domain, lasts);
      const names = params.requestTypes.map((type) => descriptor?.requestTypes[String(type)]?.name);
      if (names.every((n): n is string => n !== undefined)) return t('askSessionNamed', domain, listWords(names.map((n) => quoted(readableName(n)))), lasts);
      return t('askSessionTypes', domain, listWords(params.requestTypes.map(String)), lasts);
    }
    case 'connect':
      return t('askConnect', domain);
    case 'personalSign':
      return approval.params.siwe || approval.params.siweDomainMismatch || approval.params.siweAddressMismatch === true ? t('askSignIn', domain) : t('askSignMessage', domain);
    case 'signTypedData':
      return t('askTypedData', domain);
    case 'createApiKey':
      return t('askApiKey', domain, new Date(approval.params.validUntil).toISOString().replace('T', ' ').slice(0, 16) + ' UTC');
    case 'switchChain': {
      const { to, add } = approval.params;
      if (add) return t('askAddChain', domain);
      return t('askSwitchChain', domain, to.name === null ? t('chainNumbered', chainDecimal(to.chainId)) : to.name);
    }
    case 'confirmSign': {
      const { typeName, requestType } = approval.params;
      return typeName ? t('askConfirmNamed', domain, quoted(readableName(typeName))) : t('askConfirmType', domain, requestType);
    }
  }
}
