/**
 * The vault master's own list at one service (ListSessions): every session of the account
 * there, from any device, those this browser holds marked. A session held elsewhere can be
 * revoked at the service from here (master RevokeSession). Shown only while the vault is
 * unlocked, and only for a service the master logged in to itself (`service_known`). Each list
 * is a request the master key signs, so nothing is listed until the user clicks "Show sessions
 * at <host>" (or "Refresh"): opening the popup makes the master sign nothing.
 * @module
 */
import { useRef, useState } from 'preact/hooks';
import type { ServiceSessionView } from '../../src/protocol/extension-rpc.js';
import { FactList } from '../components/fact-list.js';
import { OriginName } from '../components/origin-name.js';
import { RoleBadge } from '../components/role-badge.js';
import { SessionFoot, accessFacts, idFacts } from '../components/session-foot.js';
import { ErrorNotice } from '../components/status-views.js';
import { Countdown } from '../components/countdown.js';
import { subaccountLabel } from '../format.js';
import { t, tCount } from '../i18n.js';
import { useConfirm } from '../hooks/use-confirm.js';
import type { Remote } from '../hooks/use-remote.js';
import { call } from '../rpc.js';

export interface ServiceSessionsProps {
  baseUrl: string;
  headingId: string;
  onRevoked: (message: string) => void;
}

/** Not asked yet: the list is fetched only on the user's click. */
type ListState = { status: 'idle' } | Remote<ServiceSessionView[]>;

export function ServiceSessions({ baseUrl, headingId, onRevoked }: ServiceSessionsProps) {
  const [state, setState] = useState<ListState>({ status: 'idle' });
  const seq = useRef(0);
  const host = new URL(baseUrl).host;

  /** One click, one signed ListSessions; only the newest answer is shown. */
  async function list(): Promise<void> {
    const mine = ++seq.current;
    setState({ status: 'loading' });
    try {
      const data = await call('service_listSessions', { baseUrl });
      if (mine === seq.current) setState({ status: 'ready', data });
    } catch (e) {
      if (mine === seq.current) setState({ status: 'error', error: e instanceof Error ? e : new Error(String(e)) });
    }
  }

  async function revoke(sessionId: string): Promise<void> {
    await call('service_revokeSession', { baseUrl, sessionId });
    // The service confirmed it: drop the row here rather than sign another list unasked.
    setState((s) => (s.status === 'ready' ? { status: 'ready', data: s.data.filter((r) => r.id !== sessionId) } : s));
    onRevoked(t('serviceRevoked', host));
  }

  const rows = state.status === 'ready' ? state.data : [];
  const elsewhere = rows.filter((r) => !r.heldHere).length;
  return (
    <section class="service" aria-labelledby={headingId} aria-busy={state.status === 'loading'}>
      <div class="section-head">
        <h2 class="section-title" id={headingId}>
          {t('serviceTitle')} <OriginName origin={baseUrl} />
        </h2>
        {state.status === 'ready' && (
          <span class="site__summary">
            {tCount(rows.length, 'sessionsCount_one', 'sessionsCount_other')}
            {elsewhere > 0 ? ` · ${t('serviceElsewhere', elsewhere)}` : ''}
          </span>
        )}
      </div>
      <p class="section-intro">{t('serviceIntro')}</p>
      {state.status === 'idle' ? (
        <button type="button" class="btn btn--ghost btn--sm" onClick={() => void list()}>
          {t('serviceShow', host)}
        </button>
      ) : state.status === 'loading' ? (
        <p class="inline-state" role="status">
          <span class="spinner spinner--sm" aria-hidden="true" /> {t('serviceAsking', host)}
        </p>
      ) : state.status === 'error' ? (
        <ErrorNotice compact title={t('serviceListError', host)} error={state.error} onRetry={() => void list()} />
      ) : (
        <>
          {rows.length === 0 ? (
            <p class="inline-state">{t('serviceNone', host)}</p>
          ) : (
            <div class="site__list">
              {rows.map((r) => (
                <ServiceRow key={r.id} row={r} host={host} onRevoke={revoke} />
              ))}
            </div>
          )}
          <button type="button" class="btn btn--ghost btn--sm" aria-label={t('serviceRefreshLabel', host)} onClick={() => void list()}>
            {t('serviceRefresh')}
          </button>
        </>
      )}
    </section>
  );
}

function ServiceRow({ row, host, onRevoke }: { row: ServiceSessionView; host: string; onRevoke: (id: string) => Promise<void> }) {
  const confirm = useConfirm(() => onRevoke(row.id));
  const titleId = `svc-${row.id}`;
  return (
    <article class={`card session ${row.heldHere ? '' : 'session--elsewhere'}`} aria-labelledby={titleId}>
      <div class="session__top">
        <h3 class="session__label session__where" id={titleId}>
          <DeviceIcon here={row.heldHere} />
          {row.heldHere ? t('serviceThisBrowser') : t('serviceAnotherDevice')}
        </h3>
        {row.role === 'FULL_ACCESS' && <RoleBadge role={row.role} />}
      </div>
      <FactList
        class="facts--compact"
        facts={[
          { term: t('factAccount'), value: subaccountLabel(row.subaccountIndex) },
          {
            term: t('factTimeLeft'),
            value: row.validUntil ? <Countdown until={row.validUntil} /> : t('factUnknown'),
          },
        ]}
      />
      <SessionFoot
        labelId={titleId}
        facts={[...accessFacts(row.role), ...idFacts(row)]}
        confirm={confirm}
        revoke={row.heldHere ? null : t('serviceRevoke')}
        ask={{ id: titleId, question: t('serviceRevokeQuestion'), detail: t('serviceRevokeDetail', host), action: t('serviceRevokeAction') }}
      />
    </article>
  );
}

/** A small glyph beside the title: a browser window for this browser, a phone for elsewhere. */
function DeviceIcon({ here }: { here: boolean }) {
  return (
    <svg class="session__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      {here ? (
        <path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v9a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 12.5zM3.5 6v6.5h9V6z" />
      ) : (
        <path d="M4.5 1.5A1.5 1.5 0 0 1 6 0h4a1.5 1.5 0 0 1 1.5 1.5v13A1.5 1.5 0 0 1 10 16H6a1.5 1.5 0 0 1-1.5-1.5zM6 1.5v11h4v-11zM7.25 13.5h1.5v1h-1.5z" />
      )}
    </svg>
  );
}
