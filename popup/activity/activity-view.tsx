/**
 * Activity: what was signed, by which origin, when, with request type and request id; and the
 * sessions made and revoked; and a worker start that found Keyhold's storage evictable. Newest first, the newest {@link SHOWN} of the worker's bounded
 * log. The log holds no key material and no request body: of a request of a described type, its
 * summary, or a binary body's size and first 32 bytes in hex.
 * @module
 */
import type { ActivityView as Entry } from '../../src/protocol/extension-rpc.js';
import { onSessionsChanged } from '../approval-events.js';
import { OriginName } from '../components/origin-name.js';
import { ErrorNotice, Loading } from '../components/status-views.js';
import { formatWhen } from '../format.js';
import { useRemote } from '../hooks/use-remote.js';
import { call } from '../rpc.js';
import { useState } from 'preact/hooks';
import { activityCsv, activityJson, download } from './export.js';
import { shortId } from '../format.js';

/** How many entries the view asks for; the worker keeps at most 500. */
export const SHOWN = 200;

const loadActivity = () => call('activity_list', { limit: SHOWN });

const WHAT: Record<Entry['kind'], string> = {
  sign: 'Signed a request',
  'session-created': 'Session created',
  'session-revoked': 'Session revoked',
  'policy-refused': 'Refused by policy',
  'session-paused': 'Session paused',
  'session-resumed': 'Session resumed',
  'master-sign': 'Master key signed',
  'storage-evictable': 'Storage can be evicted',
};

/** What a master signature was for, in words. */
const MASTER_WHAT: Record<NonNullable<Entry['method']>, string> = {
  personal_sign: 'a message',
  eth_signTypedData_v4: 'typed data',
  login: 'a service login',
  'apiKey-create': 'an API key',
  'apiKey-revoke': 'an API key revocation',
  ListSessions: 'a session list request',
  RevokeSession: 'a revocation at a service',
};

export function ActivityView({ now }: { now: number }) {
  const { state, reload } = useRemote(loadActivity, { pollMs: 3000, subscribe: onSessionsChanged });
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
        <h1 class="page-title">Activity</h1>
        {state.status === 'ready' && state.data.length > 0 && <span class="site__summary">newest first</span>}
      </div>
      {state.status === 'loading' ? (
        <Loading label="Loading activity…" />
      ) : state.status === 'error' ? (
        <ErrorNotice title="Could not load the activity" error={state.error} onRetry={() => void reload()} />
      ) : state.data.length === 0 ? (
        <div class="state state--empty">
          <p class="state__text">Nothing signed yet. Each request a site has Keyhold sign shows here, newest first, with its request id.</p>
        </div>
      ) : (
        <>
          <div class="activity__tools">
            <label class="field">
              <span class="field__label">Site</span>
              <select class="field__input" value={site} onChange={(e) => { setSite((e.currentTarget as HTMLSelectElement).value); setSession(''); }}>
                <option value="">All sites</option>
                {sites.map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
            </label>
            <label class="field">
              <span class="field__label">Session</span>
              <select class="field__input" value={session} onChange={(e) => setSession((e.currentTarget as HTMLSelectElement).value)}>
                <option value="">All sessions</option>
                {sessions.map((s) => <option key={s} value={s}>{shortId(s)}</option>)}
              </select>
            </label>
            <button type="button" class="btn btn--ghost btn--sm" onClick={() => download(activityJson(shown), `keyhold-activity-${stamp()}.json`, 'application/json')}>Export JSON</button>
            <button type="button" class="btn btn--ghost btn--sm" onClick={() => download(activityCsv(shown), `keyhold-activity-${stamp()}.csv`, 'text/csv')}>Export CSV</button>
          </div>
          <ol class="activity" aria-label="Activity, newest first">
            {shown.map((e, i) => (
              <ActivityItem key={`${e.at}-${e.requestId ?? e.sessionId}-${i}`} entry={e} now={now} />
            ))}
          </ol>
          <p class="fine-print">
            Keyhold keeps the latest 500 entries, on this device only: never a key, and of a request only what its
            service's descriptor lets Keyhold say (a summary, or a binary body's size and first 32 bytes).
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
      <span class="activity__id-term">Binary body</span> {size} byte{size === 1 ? '' : 's'}
      {bytes.length > 0 && (
        <>
          {': '}
          <code aria-label={`First ${bytes.length} bytes in hex`}>{`${bytes.join(' ')}${size > bytes.length ? ' …' : ''}`}</code>
        </>
      )}
    </p>
  );
}

function ActivityItem({ entry: e, now }: { entry: Entry; now: number }) {
  return (
    <li class={`activity__item activity__item--${e.kind}`}>
      <span class="activity__dot" aria-hidden="true" />
      <div class="activity__body">
        <p class="activity__top">
          <span class="activity__what">
            {e.kind === 'master-sign' && e.method ? `${WHAT[e.kind]} ${MASTER_WHAT[e.method]}` : WHAT[e.kind]}
            {e.requestType !== undefined && (
              <span class="badge badge--neutral activity__type">{e.typeName === undefined ? `type ${e.requestType}` : `${e.typeName} (type ${e.requestType})`}</span>
            )}
            {e.risk !== undefined && <span class={`badge badge--risk-${e.risk} activity__type`}>{e.risk}</span>}
          </span>
          <time class="activity__when" dateTime={new Date(e.at).toISOString()} title={new Date(e.at).toLocaleString()}>
            {formatWhen(e.at, now)}
          </time>
        </p>
        {e.summary !== undefined && <p class="activity__summary">{e.summary}</p>}
        {e.bodyPreview !== undefined && <BodyPreview {...e.bodyPreview} />}
        {e.policy !== undefined && <p class="activity__summary">Rule: {e.policy}</p>}
        {e.by !== undefined && <p class="activity__summary">{e.by === 'auto' ? 'Paused by Keyhold after repeated limit hits' : 'Paused by you'}</p>}
        {e.kind === 'storage-evictable' ? (
          <p class="activity__origin">The browser may delete Keyhold's data when disk space runs low. Home says what to do.</p>
        ) : (
          <p class="activity__origin">
            <OriginName origin={e.origin} />
          </p>
        )}
        {e.account !== undefined && (
          <p class="activity__id">
            <span class="activity__id-term">Account</span> <code>{e.account}</code>
          </p>
        )}
        {e.requestId !== undefined && (
          <p class="activity__id">
            <span class="activity__id-term">Request</span> <code>{e.requestId}</code>
          </p>
        )}
      </div>
    </li>
  );
}
