/**
 * The loading and error states both pages share. The error shows the worker's message (always
 * safe to show: errors never carry secrets) and a "Try again" button.
 * @module
 */
import { t } from '../i18n.js';

export function Loading({ label }: { label: string }) {
  return (
    <div class="state" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <p class="state__text">{label}</p>
    </div>
  );
}

export function ErrorNotice({ title, error, onRetry, compact = false }: { title: string; error: Error; onRetry: () => void; compact?: boolean }) {
  return (
    <div class={`state state--error ${compact ? 'state--compact' : ''}`} role="alert">
      <span class="state__icon" aria-hidden="true">!</span>
      <p class="state__title">{title}</p>
      <p class="state__text">{error.message}</p>
      <button type="button" class="btn btn--secondary" onClick={onRetry}>
        {t('tryAgain')}
      </button>
    </div>
  );
}
