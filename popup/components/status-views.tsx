/**
 * The loading and error states both pages share. The error shows the worker's message (always
 * safe to show: errors never carry secrets) and a "Try again" button.
 * @module
 */

export function Loading({ label }: { label: string }) {
  return (
    <div class="state" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <p class="state__text">{label}</p>
    </div>
  );
}

export function ErrorNotice({ title, error, onRetry }: { title: string; error: Error; onRetry: () => void }) {
  return (
    <div class="state state--error" role="alert">
      <span class="state__icon" aria-hidden="true">!</span>
      <h2 class="state__title">{title}</h2>
      <p class="state__text">{error.message}</p>
      <button type="button" class="btn btn--secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
