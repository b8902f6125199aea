/**
 * The host splits an approval window needs: for the requesting origin and for any service an
 * approval names, the registrable domain set apart from the labels before it. Computed here,
 * in the worker, because the Public Suffix List is too large for the window's bundle.
 * @module
 */
import type { HostParts } from '../../src/sites/registrable-domain.js';
import { hostParts } from '../../src/sites/registrable-domain.js';
import type { ApprovalView, PageFacts, SiteView } from '../../src/protocol/extension-rpc.js';

/** The origins an approval shows: who asks, and the service it names, if any. */
function originsShown(approval: Pick<ApprovalView, 'origin' | 'params'>): string[] {
  const service = (approval.params as { service?: { baseUrl?: unknown } }).service;
  return typeof service?.baseUrl === 'string' ? [approval.origin, service.baseUrl] : [approval.origin];
}

/** Hostname (as the URL parser gives it) → its split, for each origin the approval shows. */
export function hostsOf(approval: Pick<ApprovalView, 'origin' | 'params'>): Record<string, HostParts> {
  const hosts: Record<string, HostParts> = {};
  for (const origin of originsShown(approval)) {
    try {
      const host = new URL(origin).hostname;
      if (host !== '') hosts[host] = hostParts(host);
    } catch {
      // Not a URL: the window shows it whole.
    }
  }
  return hosts;
}

/**
 * Who asks, as the window leads with it: the origin's registrable domain (an origin the list
 * cannot read is shown whole), then the page's own title and icon, if it gave them.
 */
export function siteOf(origin: string, page: PageFacts | undefined): SiteView {
  let domain = origin;
  try {
    const host = new URL(origin).hostname;
    if (host !== '') domain = hostParts(host).domain;
  } catch {
    // Not a URL: the whole origin.
  }
  return { domain, ...(page?.title !== undefined ? { title: page.title } : {}), ...(page?.icon !== undefined ? { icon: page.icon } : {}) };
}
