/**
 * The toolbar popup: every live session, grouped by origin, each with a live countdown and a
 * Revoke button. Refreshes quietly every few seconds, since pages create and revoke sessions
 * while it is open.
 * @module
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RevocationView, SessionView } from '../src/protocol/extension-rpc.js';
import { AppHeader } from './components/app-header.js';
import { VaultPanel } from './vault/vault-panel.js';
import { OriginGroup } from './components/origin-group.js';
import { ErrorNotice, Loading } from './components/status-views.js';
import { useNow } from './hooks/use-now.js';
import { useRemote } from './hooks/use-remote.js';
import { call } from './rpc.js';
import { groupByOrigin } from './session-groups.js';
import { PendingRevocations } from './components/pending-revocations.js';

const listSessions = (): Promise<SessionView[]> => call('session_listAll', {});
const listRevocations = (): Promise<RevocationView[]> => call('revocation_list', {});

export function PopupApp() {
  const { state, reload, refresh } = useRemote(listSessions, { pollMs: 5000 });
  const owed = useRemote(listRevocations, { pollMs: 5000 });
  const now = useNow(1000);
  const [notice, setNotice] = useState('');
  const titleRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (notice === '') return;
    const timer = setTimeout(() => setNotice(''), 4000);
    return () => clearTimeout(timer);
  }, [notice]);

  async function revoke(sessionId: string): Promise<void> {
    const answer = await call('session_revoke', { sessionId });
    await Promise.all([refresh(), owed.refresh()]);
    setNotice(answer.service === 'pending' ? 'Session revoked here; its service will be told as soon as it answers.' : 'Session revoked.');
    // The card that held focus is gone; keep keyboard users anchored at the top of the list.
    titleRef.current?.focus();
  }

  const sessions = state.status === 'ready' ? state.data : [];
  const groups = groupByOrigin(sessions);

  return (
    <div class="page">
      <AppHeader>
        {sessions.length > 0 && (
          <span class="badge badge--neutral">
            {sessions.length} active
          </span>
        )}
      </AppHeader>
      <main class="page__main">
        <VaultPanel />
        <div class="page-title-row">
          <h1 class="page-title" ref={titleRef} tabIndex={-1}>
            Sessions
          </h1>
          <p class="toast" role="status" aria-live="polite">
            {notice}
          </p>
        </div>
        {state.status === 'loading' ? (
          <Loading label="Loading sessions…" />
        ) : state.status === 'error' ? (
          <ErrorNotice title="Could not load sessions" error={state.error} onRetry={() => void reload()} />
        ) : groups.length === 0 ? (
          <div class="state state--empty">
            <span class="state__art" aria-hidden="true">
              <svg viewBox="0 0 24 24" width="28" height="28">
                <circle cx="12" cy="9.5" r="3.6" />
                <path d="M10.4 11.5h3.2l1.3 7.5H9.1z" />
              </svg>
            </span>
            <p class="state__text">
              No sessions yet. When a site asks Keyhold for a session key, it appears here.
            </p>
          </div>
        ) : (
          groups.map((g, i) => (
            <OriginGroup key={g.origin} group={g} headingId={`origin-${i}`} now={now} onRevoke={revoke} />
          ))
        )}
        {owed.state.status === 'ready' && owed.state.data.length > 0 && <PendingRevocations revocations={owed.state.data} />}
      </main>
      <footer class="page__note">
        <p>Private keys never leave Keyhold.</p>
      </footer>
    </div>
  );
}
