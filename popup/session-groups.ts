/**
 * The popup's Home, as data: sessions grouped by the site that owns them, with the site's
 * connection (accounts it may see) and its revocations still owed to a service. Pure, so the
 * order and the statuses are tested without a browser.
 * @module
 */
import type { RevocationView, SessionView } from '../src/protocol/extension-rpc.js';
import type { ConnectedSite } from '../src/protocol/vault-rpc.js';
import { t } from './i18n.js';

export interface OriginGroup {
  origin: string;
  sessions: SessionView[];
}

/** One group per origin, in order of first appearance; sessions keep their order within it. */
export function groupByOrigin(sessions: readonly SessionView[]): OriginGroup[] {
  const groups = new Map<string, SessionView[]>();
  for (const s of sessions) {
    const list = groups.get(s.origin);
    if (list) list.push(s);
    else groups.set(s.origin, [s]);
  }
  return [...groups].map(([origin, list]) => ({ origin, sessions: list }));
}

/** Everything Home shows about one site. */
export interface Site extends OriginGroup {
  /** The site's connection (EIP-2255 `eth_accounts`), if it has one. */
  connection: ConnectedSite | null;
  /** Sessions of the site revoked here whose service has not yet confirmed. */
  owed: RevocationView[];
}

/**
 * The sites Home lists: first those with sessions (in order of their newest session), then
 * those with only revocations still owed, then those only connected (newest connection first).
 */
export function buildSites(
  sessions: readonly SessionView[],
  connections: readonly ConnectedSite[],
  owed: readonly RevocationView[],
): Site[] {
  const sites = new Map<string, Site>();
  const site = (origin: string): Site => {
    let s = sites.get(origin);
    if (!s) sites.set(origin, (s = { origin, sessions: [], connection: null, owed: [] }));
    return s;
  };
  for (const g of groupByOrigin(sessions)) site(g.origin).sessions = g.sessions;
  for (const r of owed) site(r.origin).owed.push(r);
  for (const c of [...connections].sort((a, b) => b.grantedAt - a.grantedAt)) site(c.origin).connection = c;
  return [...sites.values()];
}

export type SessionStatus = 'active' | 'expired' | 'login-pending';

/** Where a session stands at `nowMs`: expired first, then a service login not yet done. */
export function sessionStatus(session: Pick<SessionView, 'validUntil' | 'status'>, nowMs: number): SessionStatus {
  if (Date.parse(session.validUntil) <= nowMs) return 'expired';
  return session.status === 'pending' ? 'login-pending' : 'active';
}

/** The status in words, as its badge shows it. */
export function statusLabel(status: SessionStatus): string {
  return status === 'active' ? t('statusActive') : status === 'expired' ? t('statusExpired') : t('statusLoginPending');
}
