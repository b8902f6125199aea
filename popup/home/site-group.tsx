/**
 * One site on Home: its origin (host emphasised, IDN warned), whether it is connected, its
 * sessions, its revocations still owed to a service, and the site-wide actions, which reach
 * further than one session's Revoke and look it: "Revoke all" (every session of the site) and
 * "Disconnect" (it no longer sees your accounts), both outlined in the danger colour.
 * @module
 */
import { OriginName } from '../components/origin-name.js';
import { PunycodeWarning } from '../components/punycode-warning.js';
import { SessionCard } from '../components/session-card.js';
import { ConfirmBox, ConfirmTrigger } from '../components/confirm-box.js';
import { t, tCount } from '../i18n.js';
import { useConfirm } from '../hooks/use-confirm.js';
import type { Site } from '../session-groups.js';
import type { RevocationView } from '../../src/protocol/extension-rpc.js';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { SiteAccounts } from './site-accounts.js';

export interface SiteGroupProps {
  site: Site;
  headingId: string;
  onRevoke: (sessionId: string) => Promise<void>;
  onRevokeSite: (origin: string) => Promise<void>;
  onDisconnect: (origin: string) => Promise<void>;
  /** The vault, to name and change the accounts a connected site sees. */
  vault?: VaultView | null;
  onAccountsSaved?: (message: string) => Promise<void>;
}

export function SiteGroup({ site, headingId, onRevoke, onRevokeSite, onDisconnect, vault, onAccountsSaved }: SiteGroupProps) {
  const revokeAll = useConfirm(() => onRevokeSite(site.origin));
  const disconnect = useConfirm(() => onDisconnect(site.origin));
  const n = site.sessions.length;
  const idle = revokeAll.step.kind === 'idle' && disconnect.step.kind === 'idle';
  const host = new URL(site.origin).host;

  return (
    <section class="site" aria-labelledby={headingId}>
      <div class="site__head">
        <h2 class="site__title" id={headingId}>
          <OriginName origin={site.origin} />
        </h2>
        <span class="site__summary">{n > 0 ? tCount(n, 'sessionsCount_one', 'sessionsCount_other') : ''}</span>
      </div>
      <PunycodeWarning origin={site.origin} />
      {site.connection && (
        <p class="site__connection">
          <span class="badge badge--brand badge--dot">{t('siteConnected')}</span>
          <span>
            {site.connection.accounts.length === 1
              ? t('siteSeesYourAccount')
              : tCount(site.connection.accounts.length, 'siteSeesAccounts_one', 'siteSeesAccounts_other')}
          </span>
        </p>
      )}
      {site.connection && vault?.exists && onAccountsSaved && (
        <SiteAccounts
          key={site.connection.accounts.join()}
          origin={site.origin}
          accounts={site.connection.accounts.map((a) => a.toLowerCase())}
          vault={vault}
          headingId={headingId}
          onSaved={onAccountsSaved}
        />
      )}
      <div class="site__list">
        {site.sessions.map((s) => (
          <SessionCard key={s.id} session={s} onRevoke={onRevoke} />
        ))}
        {site.owed.map((r) => (
          <OwedCard key={r.sessionId} revocation={r} />
        ))}
      </div>
      {idle && (n > 1 || site.connection) && (
        <div class="site__actions">
          {n > 1 && (
            <ConfirmTrigger confirm={revokeAll} class="btn btn--danger-ghost btn--sm" describedBy={headingId}>
              {t('revokeSite')}
            </ConfirmTrigger>
          )}
          {site.connection && (
            <ConfirmTrigger confirm={disconnect} class="btn btn--danger-ghost btn--sm" describedBy={headingId}>
              {t('disconnectSite')}
            </ConfirmTrigger>
          )}
        </div>
      )}
      <ConfirmBox
        id={`${headingId}-revoke-all`}
        confirm={revokeAll}
        question={t('revokeSiteQuestion', n)}
        detail={t('revokeSiteDetail', host)}
        action={t('revokeSiteAction', n)}
        busyLabel={t('revoking')}
      />
      <ConfirmBox
        id={`${headingId}-disconnect`}
        confirm={disconnect}
        question={t('disconnectQuestion')}
        detail={n > 0 ? t('disconnectDetailSessions', host) : t('disconnectDetail', host)}
        action={t('disconnectAction')}
        busyLabel={t('disconnecting')}
      />
    </section>
  );
}

/** A session revoked here whose service has not confirmed yet; Keyhold keeps telling it. */
function OwedCard({ revocation: r }: { revocation: RevocationView }) {
  const titleId = `owed-${r.sessionId}`;
  const next = new Date(r.nextAttemptAt);
  return (
    <article class="card session session--owed" aria-labelledby={titleId}>
      <div class="session__top">
        <h3 class="session__label session__where" id={titleId}>
          <span class="spinner spinner--sm" aria-hidden="true" />
          {t('owedTitle')}
        </h3>
      </div>
      <p class="session__note">{t('owedNote', new URL(r.baseUrl).host)}</p>
      <p class="session__meta">
        {tCount(r.attempts, 'owedAttempts_one', 'owedAttempts_other')}
        {r.lastError ? ` — ${t('owedLastError', r.lastError)}` : ''}. {t('owedNextTry')}{' '}
        <time dateTime={next.toISOString()}>{next.toLocaleTimeString()}</time>.
      </p>
    </article>
  );
}
