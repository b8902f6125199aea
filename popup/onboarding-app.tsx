/**
 * The onboarding tab: what Keyhold does in a few plain paragraphs (sessions, service sessions,
 * the optional vault), then the vault's setup (`SetupView`), or, once there is one, its accounts
 * in full (to compare) with Lock. A whole tab, so the setup has room and the popup stays about
 * the sessions. Going on without a vault is remembered, so the popup's banner stays hidden.
 * @module
 */
import { useEffect, useState } from 'preact/hooks';
import { AppHeader } from './components/app-header.js';
import { ErrorNotice, Loading } from './components/status-views.js';
import { useLiveVault } from './hooks/use-vault.js';
import { t } from './i18n.js';
import { startClock } from './store.js';
import { onPopupChanged } from './approval-events.js';
import { SetupView } from './vault/setup-view.js';
import { VaultPanel, setVaultSkipped, vaultSkipped } from './vault/vault-panel.js';

const TOPICS = [
  { id: 'sessions', title: 'onboardSessionsTitle', text: 'onboardSessionsText' },
  { id: 'services', title: 'onboardServicesTitle', text: 'onboardServicesText' },
  { id: 'vault', title: 'onboardVaultTitle', text: 'onboardVaultText' },
] as const;

export function OnboardingApp() {
  useEffect(() => startClock(onPopupChanged), []);
  const vault = useLiveVault();
  const [skipped, setSkipped] = useState(vaultSkipped);
  const refresh = () => void vault.refresh();
  const skip = (value: boolean) => {
    setVaultSkipped(value);
    setSkipped(value);
  };

  return (
    <div class="onboarding">
      <AppHeader />
      <main class="onboarding__main">
        <h1 class="onboarding__title">{t('onboardTitle')}</h1>
        <p class="onboarding__lead">{t('onboardLead')}</p>
        <div class="onboarding__topics">
          {TOPICS.map((topic) => (
            <section key={topic.id} class="card onboarding__topic" aria-labelledby={`topic-${topic.id}`}>
              <h2 class="onboarding__topic-title" id={`topic-${topic.id}`}>
                {t(topic.title)}
              </h2>
              <p>{t(topic.text)}</p>
            </section>
          ))}
        </div>
        <div class="onboarding__vault">
          {vault.state.status === 'loading' ? (
            <Loading label={t('onboardLoading')} />
          ) : vault.state.status === 'error' ? (
            <ErrorNotice title={t('onboardLoadError')} error={vault.state.error} onRetry={() => void vault.reload()} />
          ) : vault.state.data.exists ? (
            <section class="card onboarding__done" aria-labelledby="onboard-done">
              <h2 class="onboarding__topic-title" id="onboard-done">
                {t('onboardReadyTitle')}
              </h2>
              <p>{t('onboardReadyText')}</p>
              <VaultPanel vault={vault.state.data} onChanged={refresh} fullAddresses />
            </section>
          ) : skipped ? (
            <section class="card onboarding__done" aria-labelledby="onboard-skipped">
              <h2 class="onboarding__topic-title" id="onboard-skipped">
                {t('onboardSkippedTitle')}
              </h2>
              <p>{t('onboardSkippedText')}</p>
              <button type="button" class="btn btn--secondary btn--sm" onClick={() => skip(false)}>
                {t('onboardSetUpAnyway')}
              </button>
            </section>
          ) : (
            <SetupView onDone={refresh} onSkip={() => skip(true)} focusFirst={false} />
          )}
        </div>
      </main>
    </div>
  );
}
