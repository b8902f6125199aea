/**
 * Home: a warning if the browser may evict Keyhold's storage, the vault, then every site with its sessions (role, account, request types, service,
 * live countdown, status), its connection and its revocations still owed; the master's own
 * list at each service it logged in to, fetched on the user's click only; and every revoke,
 * each asking first: one session, all of a site, everything. Refreshes on the worker's nudge
 * and every few seconds (none of which makes the master sign).
 * @module
 */
import { useLayoutEffect, useRef, useState, useEffect } from 'preact/hooks';
import type { RevokeManyResult } from '../../src/protocol/extension-rpc.js';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { onSessionsChanged } from '../approval-events.js';
import { ConfirmBox } from '../components/confirm-box.js';
import { ErrorNotice, Loading } from '../components/status-views.js';
import { plural } from '../format.js';
import { useConfirm } from '../hooks/use-confirm.js';
import { useRemote, type Remote } from '../hooks/use-remote.js';
import { call } from '../rpc.js';
import { buildSites } from '../session-groups.js';
import { VaultPanel } from '../vault/vault-panel.js';
import { ServiceSessions } from './service-sessions.js';
import { SiteGroup } from './site-group.js';
import { StorageWarning } from './storage-warning.js';

/** The popup's speed mark: the first render that shows the worker's data (`npm run bench`). */
export const DATA_MARK = 'keyhold:popup-data';

const live = { pollMs: 5000, subscribe: onSessionsChanged };
const loadSessions = () => call('session_listAll', {});
const loadOwed = () => call('revocation_list', {});
const loadConnections = () => call('permission_list', {});

function manyMessage(r: RevokeManyResult, where: string): string {
  if (r.revoked === 0) return 'Nothing left to revoke.';
  const pending = r.pending > 0 ? ` ${plural(r.pending, 'service logout')} still being delivered.` : '';
  return `${plural(r.revoked, 'session')} revoked${where}.${pending}`;
}

export interface HomeViewProps {
  vault: Remote<VaultView>;
  onVaultChanged: () => void;
  now: number;
}

export function HomeView({ vault, onVaultChanged, now }: HomeViewProps) {
  const sessions = useRemote(loadSessions, live);
  const owed = useRemote(loadOwed, live);
  const connections = useRemote(loadConnections, live);
  const [notice, setNotice] = useState('');
  const titleRef = useRef<HTMLHeadingElement>(null);

  const list = sessions.state.status === 'ready' ? sessions.state.data : [];
  const owedList = owed.state.status === 'ready' ? owed.state.data : [];
  const sites = buildSites(list, connections.state.status === 'ready' ? connections.state.data : [], owedList);
  const version = [...list.map((s) => `${s.id}:${s.status ?? ''}`), ...owedList.map((r) => r.sessionId)].join(',');
  // Where the master logged in itself: a new vault-signed login adds one. Asking signs nothing.
  const known = useRemote(() => call('service_known', {}), { key: version });
  const v = vault.status === 'ready' ? vault.data : null;
  const services = known.state.status === 'ready' ? known.state.data : [];

  const marked = useRef(false);
  useLayoutEffect(() => {
    if (marked.current || sessions.state.status !== 'ready') return;
    marked.current = true;
    performance.mark(DATA_MARK);
  }, [sessions.state.status]);

  useEffect(() => {
    if (notice === '') return;
    const timer = setTimeout(() => setNotice(''), 6000);
    return () => clearTimeout(timer);
  }, [notice]);

  async function refreshAll(): Promise<void> {
    await Promise.all([sessions.refresh(), owed.refresh(), connections.refresh()]);
  }
  /** After an action whose controls vanish, keep keyboard users anchored at the list's title. */
  async function settle(message: string): Promise<void> {
    await refreshAll();
    setNotice(message);
    titleRef.current?.focus();
  }

  async function revoke(sessionId: string): Promise<void> {
    const answer = await call('session_revoke', { sessionId });
    await settle(answer.service === 'pending' ? 'Session revoked here. Keyhold keeps telling its service until it answers.' : 'Session revoked.');
  }
  async function revokeSite(origin: string): Promise<void> {
    await settle(manyMessage(await call('session_revokeSite', { origin }), ` for ${new URL(origin).host}`));
  }
  async function disconnect(origin: string): Promise<void> {
    await call('permission_revoke', { origin });
    await settle(`${new URL(origin).host} is disconnected.`);
  }
  const panic = useConfirm(async () => settle(manyMessage(await call('session_revokeAll', {}), ' everywhere')));

  const siteCount = new Set(list.map((s) => s.origin)).size;
  return (
    <>
      <StorageWarning />
      {v && <VaultPanel vault={v} onChanged={onVaultChanged} />}
      <div class="page-title-row">
        <h1 class="page-title" ref={titleRef} tabIndex={-1}>
          Sessions
          {list.length > 0 && <span class="page-title__count">{list.length}</span>}
        </h1>
        {list.length > 0 && panic.step.kind === 'idle' && (
          <button type="button" class="btn btn--danger-ghost btn--sm" ref={panic.triggerRef} onClick={panic.open}>
            Revoke everything
          </button>
        )}
      </div>
      {panic.step.kind === 'confirm' && (
        <ConfirmBox
          id="panic"
          confirm={panic}
          question="Revoke every session of every site?"
          detail={`Keyhold deletes all ${plural(list.length, 'session key')} of ${plural(siteCount, 'site')} at once; no site can sign until you approve a new session. Services are told to log them out. Connections and the vault stay as they are.`}
          action="Revoke everything now"
          busyLabel="Revoking…"
        />
      )}
      <p class="toast" role="status" aria-live="polite">
        {notice}
      </p>
      {sessions.state.status === 'loading' ? (
        <Loading label="Loading sessions…" />
      ) : sessions.state.status === 'error' ? (
        <ErrorNotice title="Could not load sessions" error={sessions.state.error} onRetry={() => void sessions.reload()} />
      ) : sites.length === 0 ? (
        <div class="state state--empty">
          <span class="state__art" aria-hidden="true">
            <svg viewBox="0 0 24 24" width="28" height="28">
              <circle cx="12" cy="9.5" r="3.6" />
              <path d="M10.4 11.5h3.2l1.3 7.5H9.1z" />
            </svg>
          </span>
          <p class="state__text">No sessions yet. When a site asks Keyhold for a session key, you approve it in Keyhold's window and it shows here.</p>
        </div>
      ) : (
        sites.map((site, i) => (
          <SiteGroup
            key={site.origin}
            site={site}
            headingId={`site-${i}`}
            now={now}
            onRevoke={revoke}
            onRevokeSite={revokeSite}
            onDisconnect={disconnect}
            vault={v}
            onAccountsSaved={settle}
          />
        ))
      )}
      {v?.unlocked === true &&
        services.map((baseUrl, i) => (
          <ServiceSessions key={baseUrl} baseUrl={baseUrl} headingId={`service-${i}`} now={now} onRevoked={(m) => void settle(m)} />
        ))}
      {v?.exists === true && !v.unlocked && services.length > 0 && (
        <p class="hint">Unlock the vault to see every session your account has at {plural(services.length, 'service')}, from any device.</p>
      )}
    </>
  );
}
