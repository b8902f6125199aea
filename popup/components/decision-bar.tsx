/**
 * The approval window's two buttons. Reject comes first and takes focus, so Enter never
 * approves by accident; Approve works only once armed (see `use-arm-delay`).
 * @module
 */
import type { Ref } from 'preact';

export interface DecisionBarProps {
  busy: boolean;
  armed: boolean;
  rejectRef: Ref<HTMLButtonElement>;
  onDecide: (approve: boolean) => void;
}

export function DecisionBar({ busy, armed, rejectRef, onDecide }: DecisionBarProps) {
  return (
    <div class="decision-bar">
      <button type="button" class="btn btn--secondary btn--block" ref={rejectRef} disabled={busy} onClick={() => onDecide(false)}>
        Reject
      </button>
      <button type="button" class="btn btn--primary btn--block" disabled={busy || !armed} onClick={() => onDecide(true)}>
        Approve
      </button>
    </div>
  );
}
