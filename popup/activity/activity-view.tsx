/**
 * Activity: what was signed, by which origin, when, with request type and request id; and the
 * sessions made and revoked; and a worker start that found Keyhold's storage evictable. Newest first, the newest {@link SHOWN} of the worker's bounded
 * log. The log holds no key material and no request body: of a request of a described type, its
 * summary, or a binary body's size and first 32 bytes in hex.
 * @module
 */
import type { ActivityView as Entry } from '../../src/protocol/extension-rpc.js';
import { OriginName } from '../components/origin-name.js';
import { ErrorNotice, Loading } from '../components/status-views.js';
import { AccountLabel } from '../components/account-label.js';
import { formatWhen, shortId } from '../format.js';
import { t, tCount, type MessageKey } from '../i18n.js';
import { riskWord } from '../approval/risk-word.js';
import { useRemote } from '../hooks/use-remote.js';
import { call } from '../rpc.js';
import { useState } from 'preact/hooks';
import { activityCsv, activityJson, download } from './export.js';

/** How many entries the view asks for; the worker keeps at most 500. */
export const SHOWN = 200;

const loadActivity = () => call('activity_list', { limit: SHOWN });

/** What happened, in words: the message of each kind (a master signature also says what for). */
const WHAT: Record<Exclude<Entry['kind'], 'master-sign'>, MessageKey> = {
  sign: 'activitySigned',
  'session-created': 'activitySessionCreated',
  'session-revoked': 'activitySessionRevoked',
  'policy-refused': 'activityPolicyRefused',
  'session-paused': 'activitySessionPaused',
  'session-resumed': 'activitySessionResumed',
  'storage-evictable': 'activityStorageEvictable',
};

function what(e: Entry): string {
  if (e.kind !== 'master-sign') return t(WHAT[e.kind]);
  return e.method === undefined ? t('activityMasterSigned') : t('activityMasterSignedWhat', masterWhat(e.method));
}

/** What a master signature was for, in words: the message of each method. */
const MASTER_WHAT: Record<NonNullable<Entry['method']>, MessageKey> = {
  personal_sign: 'activityMasterMessage',
  eth_signTypedData_v4: 'activityMasterTypedData',
  login: 'activityMasterLogin',
  'apiKey-create': 'activityMasterApiKey',
  'apiKey-revoke': 'activityMasterApiKeyRevoke',
  ListSessions: 'activityMasterList',
  RevokeSession: 'activityMasterRevoke',
};

const masterWhat = (method: NonNullable<Entry['method']>): string => t(MASTER_WHAT[method]);

/** `names`: the vault's account names by lower-case address, to name the account that signed. */
export function ActivityView({ names = {} }: { names?: Readonly<Record<string, string>> }) {
  const { state, reload } = useRemote(loadActivity, { live: true });
  const now = Date.now();
  const [site, setSite] = useState('');
  const [session, setSession] = useState('');
  const all = state.status === 'ready' ? state.data : [];
  const sites = [...new Set(all.map((e) => e.origin))].sort();
  const sessions = [...new Set(all.filter((e) => !site || e.origin === site).flatMap((e) => (e.sessionId === undefined ? [] : [e.sessionId])))];
  const shown = all.filter((e) => (!site || e.origin === site) && (!session || e.sessionId === session));
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
  return (
    <>
      <div class="page-title-row">
        <h1 class="page-title">{t('tabActivity')}</h1>
        {state.status === 'ready' && state.data.length > 0 && <span class="site__summary">{t('activityNewestFirst')}</span>}
      </div>
      {state.status === 'loading' ? (
        <Loading label={t('activityLoading')} />
      ) : state.status === 'error' ? (
        <ErrorNotice title={t('activityLoadError')} error={state.error} onRetry={() => void reload()} />
      ) : state.data.length === 0 ? (
        <div class="state state--empty">
          <p class="state__text">{t('activityEmpty')}</p>
        </div>
      ) : (
        <>
          <div class="activity__tools">
            <label class="field">
              <span class="field__label">{t('activitySite')}</span>
              <select class="field__input" value={site} onChange={(e) => { setSite(e.currentTarget.value); setSession(''); }}>
                <option value="">{t('activityAllSites')}</option>
                {sites.map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
            </label>
            <label class="field">
              <span class="field__label">{t('factSession')}</span>
              <select class="field__input" value={session} onChange={(e) => setSession(e.currentTarget.value)}>
                <option value="">{t('activityAllSessions')}</option>
                {sessions.map((s) => <option key={s} value={s}>{shortId(s)}</option>)}
              </select>
            </label>
            <button type="button" class="btn btn--ghost btn--sm" onClick={() => download(activityJson(shown), `keyhold-activity-${stamp()}.json`, 'application/json')}>{t('activityExportJson')}</button>
            <button type="button" class="btn btn--ghost btn--sm" onClick={() => download(activityCsv(shown), `keyhold-activity-${stamp()}.csv`, 'text/csv')}>{t('activityExportCsv')}</button>
          </div>
          <ol class="activity" aria-label={t('activityListLabel')}>
            {shown.map((e, i) => (
              <ActivityItem key={`${e.at}-${e.requestId ?? e.sessionId}-${i}`} entry={e} now={now} names={names} />
            ))}
          </ol>
          <p class="fine-print">
            {t('activityFinePrint')}
          </p>
        </>
      )}
    </>
  );
}

/** A binary body as the log keeps it: its size and its first bytes in hex. */
function BodyPreview({ size, hex }: { size: number; hex: string }) {
  const bytes = hex.match(/../g) ?? [];
  return (
    <p class="activity__id">
      <span class="activity__id-term">{t('activityBinaryBody')}</span> {tCount(size, 'bytes_one', 'bytes_other')}
      {bytes.length > 0 && (
        <>
          {': '}
          <code aria-label={t('activityFirstBytesHex', bytes.length)}>{`${bytes.join(' ')}${size > bytes.length ? ' …' : ''}`}</code>
        </>
      )}
    </p>
  );
}

function ActivityItem({ entry: e, now, names }: { entry: Entry; now: number; names: Readonly<Record<string, string>> }) {
  const typeName =
    e.requestType === undefined
      ? undefined
      : e.typeName === undefined
        ? t('requestTypeNumbered', e.requestType)
        : t('requestTypeNamed', e.typeName, e.requestType);
  const hasIds = e.requestId !== undefined || e.sessionId !== undefined || e.account !== undefined;
  return (
    <li class={`activity__item activity__item--${e.kind}`}>
      <span class="activity__dot" aria-hidden="true" />
      <div class="activity__body">
        <p class="activity__top">
          <span class="activity__what">
            {what(e)}
            {typeName !== undefined && <span class="badge badge--neutral activity__type">{typeName}</span>}
            {e.risk !== undefined && <span class={`badge badge--risk-${e.risk} activity__type`}>{riskWord(e.risk)}</span>}
          </span>
          <time class="activity__when" dateTime={new Date(e.at).toISOString()} title={new Date(e.at).toLocaleString()}>
            {formatWhen(e.at, now)}
          </time>
        </p>
        {e.summary !== undefined && <p class="activity__summary">{e.summary}</p>}
        {e.bodyPreview !== undefined && <BodyPreview {...e.bodyPreview} />}
        {e.policy !== undefined && <p class="activity__summary">{t('activityRule', e.policy)}</p>}
        {e.by !== undefined && <p class="activity__summary">{e.by === 'auto' ? t('activityPausedAuto') : t('activityPausedUser')}</p>}
        {e.kind === 'storage-evictable' ? (
          <p class="activity__origin">{t('activityStorageNote')}</p>
        ) : (
          <p class="activity__origin">
            <OriginName origin={e.origin} />
          </p>
        )}
        {e.account !== undefined && (
          <p class="activity__account">
            <AccountLabel address={e.account} name={names[e.account.toLowerCase()]} />
          </p>
        )}
        {hasIds && (
          <details class="disclosure activity__more">
            <summary class="disclosure__summary">{t('cardDetails')}</summary>
            <dl class="facts facts--compact disclosure__body">
              {e.requestId !== undefined && <IdRow term={t('activityRequestId')} value={e.requestId} />}
              {e.sessionId !== undefined && <IdRow term={t('factSession')} value={e.sessionId} />}
              {e.requestType !== undefined && <IdRow term={t('factRequestTypes')} value={String(e.requestType)} />}
              {e.account !== undefined && <IdRow term={t('factAccount')} value={e.account} />}
            </dl>
          </details>
        )}
      </div>
    </li>
  );
}

function IdRow({ term, value }: { term: string; value: string }) {
  return (
    <div class="facts__row">
      <dt class="facts__term">{term}</dt>
      <dd class="facts__value">
        <code class="activity__id">{value}</code>
      </dd>
    </div>
  );
}
