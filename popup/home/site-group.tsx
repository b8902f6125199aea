/**
 * One site on Home: its origin (host emphasised, IDN warned), whether it is connected, its
 * sessions, its revocations still owed to a service, and the site-wide actions: "Revoke all"
 * (every session of the site) and "Disconnect" (it no longer sees your accounts).
 * @module
 */
import { OriginName } from '../components/origin-name.js';
import { PunycodeWarning } from '../components/punycode-warning.js';
import { SessionCard } from '../components/session-card.js';
import { ConfirmBox } from '../components/confirm-box.js';
import { plural } from '../format.js';
import { useConfirm } from '../hooks/use-confirm.js';
import type { Site } from '../session-groups.js';
import type { RevocationView } from '../../src/protocol/extension-rpc.js';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { SiteAccounts } from './site-accounts.js';

export interface SiteGroupProps {
  site: Site;
  headingId: string;
  now: number;
  onRevoke: (sessionId: string) => Promise<void>;
  onRevokeSite: (origin: string) => Promise<void>;
  onDisconnect: (origin: string) => Promise<void>;
  /** The vault, to name and change the accounts a connected site sees. */
  vault?: VaultView | null;
  onAccountsSaved?: (message: string) => Promise<void>;
}

export function SiteGroup({ site, headingId, now, onRevoke, onRevokeSite, onDisconnect, vault, onAccountsSaved }: SiteGroupProps) {
  const revokeAll = useConfirm(() => onRevokeSite(site.origin));
  const disconnect = useConfirm(() => onDisconnect(site.origin));
  const n = site.sessions.length;
  const idle = revokeAll.step.kind === 'idle' && disconnect.step.kind === 'idle';
  const summary = n > 0 ? plural(n, 'session') : '';

  return (
    <section class="site" aria-labelledby={headingId}>
      <div class="site__head">
        <h2 class="site__title" id={headingId}>
          <OriginName origin={site.origin} />
        </h2>
        <span class="site__summary">{summary}</span>
      </div>
      <PunycodeWarning origin={site.origin} />
      {site.connection && (
        <p class="site__connection">
          <span class="badge badge--brand badge--dot">Connected</span>
          <span>
            sees {site.connection.accounts.length === 1 ? 'your account' : plural(site.connection.accounts.length, 'account')}
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
      {idle && (n > 1 || site.connection) && (
        <div class="site__actions">
          {n > 1 && (
            <button type="button" class="btn btn--danger-ghost btn--sm" ref={revokeAll.triggerRef} aria-describedby={headingId} onClick={revokeAll.open}>
              Revoke all
            </button>
          )}
          {site.connection && (
            <button type="button" class="btn btn--secondary btn--sm" ref={disconnect.triggerRef} aria-describedby={headingId} onClick={disconnect.open}>
              Disconnect
            </button>
          )}
        </div>
      )}
      {revokeAll.step.kind === 'confirm' && (
        <ConfirmBox
          id={`${headingId}-revoke-all`}
          confirm={revokeAll}
          question={`Revoke all ${plural(n, 'session')} of this site?`}
          detail={
            <>
              Keyhold deletes every key of <OriginName origin={site.origin} />; it can no longer sign until you approve a new
              session. Services are told to log them out.
            </>
          }
          action={`Revoke ${plural(n, 'session')}`}
          busyLabel="Revoking…"
        />
      )}
      {disconnect.step.kind === 'confirm' && (
        <ConfirmBox
          id={`${headingId}-disconnect`}
          confirm={disconnect}
          question="Disconnect this site?"
          detail={
            <>
              <OriginName origin={site.origin} /> will no longer see your accounts and must ask again to connect.
              {n > 0 ? ' Its session keys stay until you revoke them.' : ''}
            </>
          }
          action="Disconnect site"
          busyLabel="Disconnecting…"
        />
      )}
      <div class="site__list">
        {site.sessions.map((s) => (
          <SessionCard key={s.id} session={s} now={now} onRevoke={onRevoke} />
        ))}
        {site.owed.map((r) => (
          <OwedCard key={r.sessionId} revocation={r} />
        ))}
      </div>
    </section>
  );
}

/** A session revoked here whose service has not confirmed yet; Keyhold keeps telling it. */
function OwedCard({ revocation: r }: { revocation: RevocationView }) {
  const titleId = `owed-${r.sessionId}`;
  return (
    <article class="card session session--owed" aria-labelledby={titleId}>
      <div class="session__top">
        <h3 class="session__label session__where" id={titleId}>
          <span class="spinner spinner--sm" aria-hidden="true" />
          Revocation pending
        </h3>
      </div>
      <p class="session__note">
        Revoked here: this key can no longer sign. Keyhold is still telling <strong>{new URL(r.baseUrl).host}</strong> to log it out.
      </p>
      <p class="session__meta">
        {plural(r.attempts, 'attempt')}
        {r.lastError ? ` — last: ${r.lastError}` : ''}. Next try at{' '}
        <time dateTime={new Date(r.nextAttemptAt).toISOString()}>{new Date(r.nextAttemptAt).toLocaleTimeString()}</time>.
      </p>
    </article>
  );
}
