/**
 * The inline "are you sure" of every consequential action in the popup: a question, what will
 * happen, Cancel (focused when it opens; Escape too) and the action's own button.
 * @module
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Confirm } from '../hooks/use-confirm.js';
import { t } from '../i18n.js';

export interface ConfirmBoxProps {
  id: string;
  confirm: Confirm;
  question: ComponentChildren;
  /** What will happen, in plain words. */
  detail: ComponentChildren;
  /** The confirming button's name, e.g. "Revoke session". */
  action: string;
  busyLabel?: string;
  tone?: 'danger' | 'neutral';
}

/** Shown while its confirm is open, nothing otherwise; Cancel takes the focus each time it opens. */
export function ConfirmBox(props: ConfirmBoxProps) {
  return props.confirm.step.kind === 'confirm' ? <OpenConfirmBox {...props} /> : null;
}

function OpenConfirmBox({ id, confirm, question, detail, action, busyLabel = t('confirmWorking'), tone = 'danger' }: ConfirmBoxProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => cancelRef.current?.focus(), []);
  if (confirm.step.kind !== 'confirm') return null;
  const { busy, error } = confirm.step;
  return (
    <div
      class={`confirm confirm--${tone}`}
      role="group"
      aria-labelledby={`${id}-question`}
      aria-describedby={`${id}-detail`}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || busy) return;
        e.preventDefault();
        e.stopPropagation();
        confirm.cancel();
      }}
    >
      <p class="confirm__question" id={`${id}-question`}>
        <strong>{question}</strong>
      </p>
      <p class="confirm__detail" id={`${id}-detail`}>
        {detail}
      </p>
      {error !== null && (
        <p class="confirm__error" role="alert">
          {error.message}
        </p>
      )}
      <div class="confirm__actions">
        <button type="button" class="btn btn--ghost btn--sm" ref={cancelRef} disabled={busy} onClick={confirm.cancel}>
          {t('confirmCancel')}
        </button>
        <button type="button" class={`btn btn--sm ${tone === 'danger' ? 'btn--danger' : 'btn--primary'}`} disabled={busy} onClick={() => void confirm.confirm()}>
          {busy ? busyLabel : action}
        </button>
      </div>
    </div>
  );
}

/** The button that opens a confirm (focus returns to it when the confirm closes). */
export function ConfirmTrigger({ confirm, class: className, describedBy, children }: { confirm: Confirm; class: string; describedBy?: string; children: ComponentChildren }) {
  return (
    <button type="button" class={className} ref={confirm.triggerRef} aria-describedby={describedBy} onClick={confirm.open}>
      {children}
    </button>
  );
}
