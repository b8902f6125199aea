/**
 * The toolbar popup: a fixed-size window with three views, Home (vault, sites, sessions,
 * services), Activity and Settings. The vault's state is loaded once here and shared, so each
 * view opens with it already known.
 * @module
 */
import { useState } from 'preact/hooks';
import { ActivityView } from './activity/activity-view.js';
import { AppHeader } from './components/app-header.js';
import { ViewTabs, type TabDef } from './components/view-tabs.js';
import { HomeView } from './home/home-view.js';
import { useNow } from './hooks/use-now.js';
import { useVault } from './hooks/use-vault.js';
import { SettingsView } from './settings/settings-view.js';

type View = 'home' | 'activity' | 'settings';
const TABS: TabDef<View>[] = [
  { key: 'home', label: 'Home' },
  { key: 'activity', label: 'Activity' },
  { key: 'settings', label: 'Settings' },
];

export function PopupApp() {
  const [view, setView] = useState<View>('home');
  const vault = useVault(5000);
  const now = useNow(1000);
  const v = vault.state.status === 'ready' ? vault.state.data : null;
  const refreshVault = () => void vault.refresh();

  return (
    <div class="page">
      <AppHeader>
        {v?.exists && (
          <span class={`badge badge--dot ${v.unlocked ? 'badge--ok' : 'badge--neutral'}`} title={v.unlocked ? 'The vault is unlocked' : 'The vault is locked'}>
            {v.unlocked ? 'Unlocked' : 'Locked'}
          </span>
        )}
      </AppHeader>
      <ViewTabs tabs={TABS} selected={view} onSelect={setView} idPrefix="view" />
      {/* The main landmark holds the tab panel: `role="tabpanel"` on <main> itself would remove the landmark. */}
      <main class="page__main">
        <div class="page__panel" id={`view-panel-${view}`} role="tabpanel" aria-labelledby={`view-tab-${view}`}>
        {view === 'home' ? (
          <HomeView vault={vault.state} onVaultChanged={refreshVault} now={now} />
        ) : view === 'activity' ? (
          <ActivityView now={now} />
        ) : (
          <SettingsView vault={vault.state} onVaultChanged={refreshVault} reloadVault={() => void vault.reload()} onSetUp={() => setView('home')} />
        )}
        </div>
      </main>
    </div>
  );
}
