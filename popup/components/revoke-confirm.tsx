/**
 * The inline "are you sure" of a revoke. Focus goes to Cancel when it opens; Escape cancels.
 * @module
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { OriginName } from './origin-name.js';

export interface RevokeConfirmProps {
  id: string;
  origin: string;
  busy: boolean;
  error: Error | null;
  onConfirm: () => void;
  onCancel: () => void;
}

export function RevokeConfirm({ id, origin, busy, error, onConfirm, onCancel }: RevokeConfirmProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => cancelRef.current?.focus(), []);

  return (
    <div
      class="confirm"
      role="group"
      aria-labelledby={`${id}-question`}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || busy) return;
        e.preventDefault();
        e.stopPropagation();
        onCancel();
      }}
    >
      <p class="confirm__question" id={`${id}-question`}>
        <strong>Revoke this session?</strong> <OriginName origin={origin} /> will no longer be able to sign with it.
      </p>
      {error !== null && (
        <p class="confirm__error" role="alert">
          {error.message}
        </p>
      )}
      <div class="confirm__actions">
        <button type="button" class="btn btn--ghost btn--sm" ref={cancelRef} disabled={busy} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="btn btn--danger btn--sm" disabled={busy} onClick={onConfirm}>
          {busy ? 'Revoking…' : 'Revoke session'}
        </button>
      </div>
    </div>
  );
}
