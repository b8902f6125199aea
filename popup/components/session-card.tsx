/**
 * One live session in the toolbar popup: what it may do, a live countdown, the start of its
 * public key, and a Revoke button that asks before it acts.
 * @module
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SessionView } from '../../src/protocol/extension-rpc.js';
import { describeRequestTypes, formatTimeLeft, shortKey, subaccountLabel } from '../format.js';
import { FactList } from './fact-list.js';
import { RevokeConfirm } from './revoke-confirm.js';
import { RoleBadge } from './role-badge.js';

export interface SessionCardProps {
  session: SessionView;
  now: number;
  /** Revokes the session; rejects with the worker's error. */
  onRevoke: (sessionId: string) => Promise<void>;
}

type Step = { kind: 'idle' } | { kind: 'confirm'; busy: boolean; error: Error | null };

export function SessionCard({ session, now, onRevoke }: SessionCardProps) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const revokeRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const labelId = `session-${session.id}-label`;
  const timeLeft = formatTimeLeft(session.validUntil, now);

  async function confirm(): Promise<void> {
    setStep({ kind: 'confirm', busy: true, error: null });
    try {
      await onRevoke(session.id);
    } catch (e) {
      setStep({ kind: 'confirm', busy: false, error: e instanceof Error ? e : new Error(String(e)) });
    }
  }

  function cancel(): void {
    returnFocus.current = true;
    setStep({ kind: 'idle' });
  }

  // After Cancel, focus returns to the Revoke button that opened the question.
  useLayoutEffect(() => {
    if (step.kind !== 'idle' || !returnFocus.current) return;
    returnFocus.current = false;
    revokeRef.current?.focus();
  }, [step.kind]);

  return (
    <article class="card session" aria-labelledby={labelId}>
      <div class="session__top">
        <h3 class={`session__label ${session.label === null ? 'session__label--unnamed' : ''}`} id={labelId}>
          {session.label ?? 'Unnamed session'}
        </h3>
        <RoleBadge role={session.role} />
      </div>
      <FactList
        class="facts--compact"
        facts={[
          { term: 'Account', value: subaccountLabel(session.subaccountIndex) },
          { term: 'Request types', value: describeRequestTypes(session.requestTypes) },
          ...(session.service
            ? [
                {
                  term: 'Service',
                  value: (
                    <span>
                      {new URL(session.service.baseUrl).host}{' '}
                      <span class={`badge ${session.status === 'active' ? 'badge--neutral' : 'badge--warn'}`}>
                        {session.status === 'active' ? 'Logged in' : 'Login pending'}
                      </span>
                    </span>
                  ),
                },
              ]
            : []),
          {
            term: 'Expires',
            value: (
              <time class={`countdown ${timeLeft === 'Expired' ? 'countdown--over' : ''}`} dateTime={session.validUntil}>
                {timeLeft}
              </time>
            ),
          },
        ]}
      />
      <div class="session__foot">
        <span class="session__key">
          <span class="session__key-term">Key</span>
          <code class="key" title={`Public key ${session.publicKey}`}>
            {shortKey(session.publicKey)}
          </code>
        </span>
        {step.kind === 'idle' && (
          <button
            type="button"
            class="btn btn--danger-ghost btn--sm"
            ref={revokeRef}
            aria-describedby={labelId}
            onClick={() => setStep({ kind: 'confirm', busy: false, error: null })}
          >
            Revoke
          </button>
        )}
      </div>
      {step.kind === 'confirm' && (
        <RevokeConfirm
          id={`session-${session.id}`}
          origin={session.origin}
          busy={step.busy}
          error={step.error}
          onConfirm={() => void confirm()}
          onCancel={cancel}
        />
      )}
    </article>
  );
}
