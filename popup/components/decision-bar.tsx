/**
 * The approval window's two buttons. Reject comes first and takes focus, so Enter never
 * approves by accident; Approve works only once armed (see `use-arm-delay`). While it arms,
 * Approve fills from the left over the arm delay, and a status line (Approve's description,
 * announced politely) says it is about to work; while something else holds it (a confirmation
 * to tick, the vault to unlock), the line says what.
 * @module
 */
import type { Ref } from 'preact';
import { APPROVE_ARM_MS } from '../../src/protocol/extension-rpc.js';
import { t } from '../i18n.js';

export interface DecisionBarProps {
  busy: boolean;
  /** Approve works: the arm delay is over and nothing holds it. */
  armed: boolean;
  /** The arm delay is running (Approve fills meanwhile). */
  arming?: boolean;
  /** Why Approve waits, other than the arm delay, in words ("Unlock Keyhold to approve."). */
  held?: string | undefined;
  rejectRef: Ref<HTMLButtonElement>;
  onDecide: (approve: boolean) => void;
}

export function DecisionBar({ busy, armed, arming = false, held, rejectRef, onDecide }: DecisionBarProps) {
  // Held for another reason, Approve would not work when the fill ends: no fill then.
  const filling = arming && !busy && held === undefined;
  const status = busy ? '' : held ?? (filling ? t('approvalArming') : '');
  return (
    <div class="decision">
      <div class="decision-bar">
        <button type="button" class="btn btn--secondary btn--block" ref={rejectRef} disabled={busy} onClick={() => onDecide(false)}>
          {t('approvalReject')}
        </button>
        <button
          type="button"
          class={`btn btn--primary btn--block btn--arm ${filling ? 'btn--arming' : ''}`}
          style={{ '--arm-ms': `${APPROVE_ARM_MS}ms` }}
          disabled={busy || !armed}
          aria-describedby="approve-status"
          data-arming={filling ? 'true' : undefined}
          onClick={() => onDecide(true)}
        >
          {t('approvalApprove')}
        </button>
      </div>
      <p class={`decision__status ${held === undefined ? 'visually-hidden' : ''}`} id="approve-status" role="status">
        {status}
      </p>
    </div>
  );
}
