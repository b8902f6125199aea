/**
 * The top of every request, leading with who asks: a letter avatar and the registrable domain
 * (verified: the worker's Public Suffix List), the whole origin under it, then what the request
 * asks in one plain sentence, then what the page says of itself — its title and icon, and any
 * text the request carries (a label, a name) — set apart and marked as the site's own words,
 * which Keyhold cannot check.
 * @module
 */
import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { originParts } from '../format.js';
import { t } from '../i18n.js';
import { ApprovalSite } from '../approval/approval-site.js';
import { FactList, type Fact } from './fact-list.js';
import { OriginName } from './origin-name.js';
import { PunycodeWarning } from './punycode-warning.js';

export interface RequestOriginProps {
  origin: string;
  /** What the request asks, a sentence whose subject is the site (see `approval/ask-sentence.ts`). */
  ask: string | ((domain: string) => string);
  /** Text the request carries in the site's own words (a label, a key's name), shown apart from the facts. */
  siteWords?: Fact[];
  children?: ComponentChildren;
}

/** The first letter or digit of the domain, for an avatar no page can choose. */
const initial = (domain: string) => (/[\p{L}\p{N}]/u.exec(domain)?.[0] ?? '?').toUpperCase();

export function RequestOrigin({ origin, ask, siteWords = [] }: RequestOriginProps) {
  const site = useContext(ApprovalSite);
  const domain = site?.domain ?? originParts(origin).host;
  const words: Fact[] = [];
  if (site?.title !== undefined) {
    words.push({
      term: t('approvalPageTitle'),
      value: (
        <span class="site-words__title">
          {site.icon !== undefined && <img class="site-words__icon" src={site.icon} alt="" width={16} height={16} />}
          <span class="quoted">{site.title}</span>
        </span>
      ),
    });
  }
  words.push(...siteWords);
  return (
    <div class="request__who">
      <div class="request__site">
        <span class="site-avatar" aria-hidden="true">
          {initial(domain)}
        </span>
        <div class="request__site-name">
          <p class="eyebrow">{t('approvalSite')}</p>
          <h2 class="request__origin" id="request-origin">
            <OriginName origin={origin} />
          </h2>
        </div>
      </div>
      <p class="request__ask" data-testid="request-ask">
        {typeof ask === 'function' ? ask(domain) : ask}
      </p>
      <PunycodeWarning origin={origin} />
      {words.length > 0 && (
        <section class="site-words" aria-labelledby="site-words-title">
          <p class="site-words__heading">
            <span class="eyebrow" id="site-words-title">
              {t('approvalSiteWords')}
            </span>{' '}
            <span class="site-words__note">{t('approvalSiteWordsNote')}</span>
          </p>
          <FactList facts={words} class="facts--site" />
        </section>
      )}
    </div>
  );
}
