/**
 * The warning at the top of Home when the worker's check at start found Keyhold's storage
 * evictable: what the browser may delete, what to do about it, what the browser reported, and
 * "Check again". Shows nothing while the storage is persistent (or the answer is not in yet).
 * @module
 */
import { useRef, useState } from 'preact/hooks';
import type { StorageStatusView } from '../../src/protocol/extension-rpc.js';
import { formatBytes } from '../format.js';
import { t } from '../i18n.js';
import { useRemote } from '../hooks/use-remote.js';
import { call } from '../rpc.js';

function reported(s: StorageStatusView): string {
  const persisted = s.persisted === null ? t('storageNotReported') : s.persisted ? t('storageGranted') : t('storageNotGranted');
  const unlimited = s.unlimitedStorage ? t('storageGranted') : t('storageNotGranted');
  return t('storageReported', formatBytes(s.quota), formatBytes(s.usage), persisted, unlimited);
}

export function StorageWarning() {
  const recheck = useRef(false);
  const status = useRemote(() => call('storage_status', recheck.current ? { recheck: true } : {}));
  const [busy, setBusy] = useState(false);

  if (status.state.status !== 'ready' || status.state.data.state === 'persistent') return null;
  const s = status.state.data;

  async function checkAgain(): Promise<void> {
    setBusy(true);
    recheck.current = true;
    await status.refresh();
    setBusy(false);
  }

  return (
    <section class="callout callout--warn storage-warning" role="alert" aria-labelledby="storage-warning-title">
      <span class="callout__icon" aria-hidden="true">!</span>
      <div class="storage-warning__body">
        <h2 class="storage-warning__title" id="storage-warning-title">
          {t('storageTitle')}
        </h2>
        <p>{t('storageText')}</p>
        <ul class="storage-warning__steps">
          <li>{t('storageStepSpace')}</li>
          <li>{t('storageStepPhrase')}</li>
          <li>{t('storageStepPolicy')}</li>
        </ul>
        <p class="storage-warning__facts">{reported(s)}</p>
        <button type="button" class="btn btn--secondary btn--sm" disabled={busy} onClick={() => void checkAgain()}>
          {busy ? t('storageChecking') : t('storageCheckAgain')}
        </button>
      </div>
    </section>
  );
}
