/**
 * A warning or danger callout: the "!" badge (hidden from assistive tech) and one line of text.
 * `alert` makes it a `div` with `role="alert"`, for what the user must read before approving;
 * without it, a plain paragraph.
 * @module
 */
import type { ComponentChildren } from 'preact';

export function Callout({ tone, alert = false, children }: { tone: 'warn' | 'danger'; alert?: boolean; children: ComponentChildren }) {
  const body = (
    <>
      <span class="callout__icon" aria-hidden="true">!</span>
      <span>{children}</span>
    </>
  );
  return alert ? (
    <div class={`callout callout--${tone}`} role="alert">
      {body}
    </div>
  ) : (
    <p class={`callout callout--${tone}`}>{body}</p>
  );
}
