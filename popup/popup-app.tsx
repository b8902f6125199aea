/**
 * The toolbar popup: a fixed-size window with three views, Home (sessions first, then the
 * vault and services), Activity and Settings. The vault's state is loaded once here and shared,
 * so each view opens with it already known. The clock and the worker's change nudges are
 * signals (`store.ts`): a tick updates the countdowns' text and nothing else.
 * @module
 */
import { useEffect, useState } from 'preact/hooks';
import { ActivityView } from './activity/activity-view.js';
import { AppHeader } from './components/app-header.js';
import { ViewTabs, type TabDef } from './components/view-tabs.js';
import { HomeView, openOnboarding } from './home/home-view.js';
import { useLiveVault } from './hooks/use-vault.js';
import { t } from './i18n.js';
import { SettingsView } from './settings/settings-view.js';
import { startClock } from './store.js';
import { onPopupChanged } from './approval-events.js';

type View = 'home' | 'activity' | 'settings';

export function PopupApp() {
  const [view, setView] = useState<View>('home');
  const vault = useLiveVault();
  useEffect(() => startClock(onPopupChanged), []);
  const v = vault.state.status === 'ready' ? vault.state.data : null;
  const refreshVault = () => void vault.refresh();
  const accountNames = Object.fromEntries((v?.accounts ?? []).map((a, i) => [a.toLowerCase(), v?.names[i] ?? '']));
  const tabs: TabDef<View>[] = [
    { key: 'home', label: t('tabHome') },
    { key: 'activity', label: t('tabActivity') },
    { key: 'settings', label: t('tabSettings') },
  ];

  return (
    <div class="page">
      <AppHeader>
        {v?.exists && (
          <span class={`badge badge--dot ${v.unlocked ? 'badge--ok' : 'badge--neutral'}`} title={v.unlocked ? t('vaultUnlockedTitle') : t('vaultLockedTitle')}>
            {v.unlocked ? t('vaultUnlockedBadge') : t('vaultLockedBadge')}
          </span>
        )}
      </AppHeader>
      <ViewTabs tabs={tabs} selected={view} onSelect={setView} idPrefix="view" />
      {/* The main landmark holds the tab panel: `role="tabpanel"` on <main> itself would remove the landmark. */}
      <main class="page__main">
        <div class="page__panel" id={`view-panel-${view}`} role="tabpanel" aria-labelledby={`view-tab-${view}`}>
        {view === 'home' ? (
          <HomeView vault={vault.state} onVaultChanged={refreshVault} />
        ) : view === 'activity' ? (
          <ActivityView names={accountNames} />
        ) : (
          <SettingsView vault={vault.state} onVaultChanged={refreshVault} reloadVault={() => void vault.reload()} onSetUp={openOnboarding} />
        )}
        </div>
      </main>
    </div>
  );
}
