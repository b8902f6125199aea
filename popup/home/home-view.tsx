/**
 * Home, sessions first: a warning if the browser may evict Keyhold's storage, then every site
 * with its sessions (what each may do, time left, where it is logged in), its connection and
 * its revocations still owed; then "Revoke everything"; then the first-run banner (set up a
 * master key, optional, in the onboarding tab) or the vault (unlock, its accounts, Lock); then
 * the master's own list at each service it logged in to, fetched on the user's click only.
 * Every revoke asks first; their look grows with their reach (one session: quiet text; a site:
 * outlined; everything: filled). Data refreshes on the popup's one change nudge (`store.ts`).
 * @module
 */
import { useLayoutEffect, useRef, useState, useEffect } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { RevokeManyResult } from '../../src/protocol/extension-rpc.js';
import type { VaultView } from '../../src/protocol/vault-rpc.js';
import { ConfirmBox, ConfirmTrigger } from '../components/confirm-box.js';
import { TitledSection } from '../components/titled-section.js';
import { ErrorNotice, Loading } from '../components/status-views.js';
import { t, tCount } from '../i18n.js';
import { useConfirm } from '../hooks/use-confirm.js';
import { useRemote, type Remote } from '../hooks/use-remote.js';
import { call } from '../rpc.js';
import { buildSites } from '../session-groups.js';
import { VaultPanel, setVaultSkipped, vaultSkipped } from '../vault/vault-panel.js';
import { ServiceSessions } from './service-sessions.js';
import { SiteGroup } from './site-group.js';
import { StorageWarning } from './storage-warning.js';

/** The popup's speed mark: the first render that shows the worker's data (`npm run bench`). */
export const DATA_MARK = 'keyhold:popup-data';

const live = { live: true };
const loadSessions = () => call('session_listAll', {});
const loadOwed = () => call('revocation_list', {});
const loadConnections = () => call('permission_list', {});

function manyMessage(r: RevokeManyResult, host: string | null): string {
  if (r.revoked === 0) return t('revokedNothing');
  const count = tCount(r.revoked, 'sessionsCount_one', 'sessionsCount_other');
  const done = host === null ? t('revokedEverywhere', count) : t('revokedSite', count, host);
  return r.pending > 0 ? `${done} ${t('revokedPending', tCount(r.pending, 'serviceLogouts_one', 'serviceLogouts_other'))}` : done;
}

/** Opens the onboarding tab (the vault's setup, and what sessions are). */
export function openOnboarding(): void {
  void browser.tabs.create({ url: browser.runtime.getURL('onboarding.html') });
}

export interface HomeViewProps {
  vault: Remote<VaultView>;
  onVaultChanged: () => void;
}

export function HomeView({ vault, onVaultChanged }: HomeViewProps) {
  const sessions = useRemote(loadSessions, live);
  const owed = useRemote(loadOwed, live);
  const connections = useRemote(loadConnections, live);
  const [notice, setNotice] = useState('');
  const [skipped, setSkipped] = useState(vaultSkipped);
  const titleRef = useRef<HTMLHeadingElement>(null);

  const list = sessions.state.status === 'ready' ? sessions.state.data : [];
  const owedList = owed.state.status === 'ready' ? owed.state.data : [];
  const sites = buildSites(list, connections.state.status === 'ready' ? connections.state.data : [], owedList);
  const version = [...list.map((s) => `${s.id}:${s.status ?? ''}`), ...owedList.map((r) => r.sessionId)].join(',');
  const v = vault.status === 'ready' ? vault.data : null;
  const sessionsShown = sessions.state.status !== 'loading';

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
    await settle(answer.service === 'pending' ? t('revokedOnePending') : t('revokedOne'));
  }
  async function revokeSite(origin: string): Promise<void> {
    await settle(manyMessage(await call('session_revokeSite', { origin }), new URL(origin).host));
  }
  async function disconnect(origin: string): Promise<void> {
    await call('permission_revoke', { origin });
    await settle(t('disconnected', new URL(origin).host));
  }
  const panic = useConfirm(async () => settle(manyMessage(await call('session_revokeAll', {}), null)));
  const skip = (value: boolean) => {
    setVaultSkipped(value);
    setSkipped(value);
  };

  const siteCount = new Set(list.map((s) => s.origin)).size;
  return (
    <>
      <StorageWarning />
      <div class="page-title-row">
        <h1 class="page-title" ref={titleRef} tabIndex={-1}>
          {t('homeTitle')}
          {list.length > 0 && <span class="page-title__count">{list.length}</span>}
        </h1>
      </div>
      <p class="toast" role="status" aria-live="polite">
        {notice}
      </p>
      {sessions.state.status === 'loading' ? (
        <Loading label={t('homeLoading')} />
      ) : sessions.state.status === 'error' ? (
        <ErrorNotice title={t('homeLoadError')} error={sessions.state.error} onRetry={() => void sessions.reload()} />
      ) : sites.length === 0 ? (
        <div class="state state--empty">
          <span class="state__art" aria-hidden="true">
            <svg viewBox="0 0 24 24" width="28" height="28">
              <circle cx="12" cy="9.5" r="3.6" />
              <path d="M10.4 11.5h3.2l1.3 7.5H9.1z" />
            </svg>
          </span>
          <p class="state__text">{t('homeEmpty')}</p>
        </div>
      ) : (
        sites.map((site, i) => (
          <SiteGroup
            key={site.origin}
            site={site}
            headingId={`site-${i}`}
            onRevoke={revoke}
            onRevokeSite={revokeSite}
            onDisconnect={disconnect}
            vault={v}
            onAccountsSaved={settle}
          />
        ))
      )}
      {list.length > 0 && (
        <div class="panic">
          {panic.step.kind === 'idle' ? (
            <ConfirmTrigger confirm={panic} class="btn btn--danger btn--sm btn--block">
              {t('revokeEverything')}
            </ConfirmTrigger>
          ) : (
            <ConfirmBox
              id="panic"
              confirm={panic}
              question={t('revokeEverythingQuestion')}
              detail={t('revokeEverythingDetail', tCount(list.length, 'sessionKeys_one', 'sessionKeys_other'), tCount(siteCount, 'sitesCount_one', 'sitesCount_other'))}
              action={t('revokeEverythingAction')}
              busyLabel={t('revoking')}
            />
          )}
        </div>
      )}
      {sessionsShown && v && !v.exists && !skipped && (
        <TitledSection class="banner" id="first-run-title" title={t('bannerTitle')} titleClass="banner__title">
          <p class="banner__text">{t('bannerText')}</p>
          <div class="banner__actions">
            <button type="button" class="btn btn--primary btn--sm" onClick={openOnboarding}>
              {t('bannerSetUp')}
            </button>
            <button type="button" class="btn btn--ghost btn--sm" onClick={() => skip(true)}>
              {t('bannerNotNow')}
            </button>
          </div>
        </TitledSection>
      )}
      {sessionsShown && v?.exists === true && <VaultPanel vault={v} onChanged={onVaultChanged} />}
      {sessionsShown && v?.exists === true && <KnownServices vault={v} version={version} onRevoked={(m) => void settle(m)} />}
    </>
  );
}

/**
 * The services the master logged in to itself, each with its own list (unlocked), or a hint to
 * unlock. Asked only once the sessions show and only with a vault: never on the path to the
 * first session card. A new vault-signed login adds one (`version` changes). Asking signs nothing.
 */
function KnownServices({ vault, version, onRevoked }: { vault: VaultView; version: string; onRevoked: (message: string) => void }) {
  const known = useRemote(() => call('service_known', {}), { key: version });
  const services = known.state.status === 'ready' ? known.state.data : [];
  if (!vault.unlocked) {
    return services.length > 0 ? <p class="hint">{t('homeUnlockForServices', tCount(services.length, 'servicesCount_one', 'servicesCount_other'))}</p> : null;
  }
  return (
    <>
      {services.map((baseUrl, i) => (
        <ServiceSessions key={baseUrl} baseUrl={baseUrl} headingId={`service-${i}`} onRevoked={onRevoked} />
      ))}
    </>
  );
}
