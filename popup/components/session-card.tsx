/**
 * One session this browser holds: what it may do, its status, a live countdown, the start of
 * its public key, and a Revoke button that asks before it acts.
 * @module
 */
import type { SessionView } from '../../src/protocol/extension-rpc.js';
import { describeRequestTypes, formatTimeLeft, shortKey, subaccountLabel } from '../format.js';
import { useConfirm } from '../hooks/use-confirm.js';
import { sessionStatus } from '../session-groups.js';
import { ConfirmBox } from './confirm-box.js';
import { FactList } from './fact-list.js';
import { OriginName } from './origin-name.js';
import { RoleBadge } from './role-badge.js';
import { StatusBadge } from './status-badge.js';
import { SessionPolicy } from './session-policy.js';

export interface SessionCardProps {
  session: SessionView;
  now: number;
  /** Revokes the session; rejects with the worker's error. */
  onRevoke: (sessionId: string) => Promise<void>;
}

export function SessionCard({ session, now, onRevoke }: SessionCardProps) {
  const confirm = useConfirm(() => onRevoke(session.id));
  const labelId = `session-${session.id}-label`;
  const timeLeft = formatTimeLeft(session.validUntil, now);
  const status = sessionStatus(session, now);
  const apiKeyService = session.apiKey?.baseUrl ?? null;

  return (
    <article class={`card session session--${status}`} aria-labelledby={labelId}>
      <div class="session__top">
        <h3 class={`session__label ${session.label === null ? 'session__label--unnamed' : ''}`} id={labelId}>
          {session.label ?? 'Unnamed session'}
        </h3>
        <span class="session__badges">
          <RoleBadge role={session.role} />
          <StatusBadge status={status} />
        </span>
      </div>
      <FactList
        class="facts--compact"
        facts={[
          { term: 'Account', value: subaccountLabel(session.subaccountIndex) },
          { term: 'Request types', value: describeRequestTypes(session.requestTypes) },
          ...(session.service ? [{ term: 'Service', value: <OriginName origin={session.service.baseUrl} /> }] : []),
          ...(apiKeyService ? [{ term: 'API key at', value: <OriginName origin={apiKeyService} /> }] : []),
          ...(session.service?.sessionId ? [{ term: 'Service id', value: <code class="key" title={`The service's id of this session: ${session.service.sessionId}`}>{session.service.sessionId}</code> }] : []),
          {
            term: 'Time left',
            value: (
              <time class={`countdown ${status === 'expired' ? 'countdown--over' : ''}`} dateTime={session.validUntil}>
                {timeLeft}
              </time>
            ),
          },
        ]}
      />
      <SessionPolicy session={session} labelId={labelId} />
      <div class="session__foot">
        <span class="session__key">
          <span class="session__key-term">Key</span>
          <code class="key" title={`Public key ${session.publicKey}`}>
            {shortKey(session.publicKey)}
          </code>
        </span>
        {confirm.step.kind === 'idle' && (
          <button type="button" class="btn btn--danger-ghost btn--sm" ref={confirm.triggerRef} aria-describedby={labelId} onClick={confirm.open}>
            Revoke
          </button>
        )}
      </div>
      {confirm.step.kind === 'confirm' && (
        <ConfirmBox
          id={`session-${session.id}`}
          confirm={confirm}
          question={session.apiKey ? 'Revoke this API key?' : 'Revoke this session?'}
          detail={
            <>
              Keyhold deletes its key now, so <OriginName origin={session.origin} /> can no longer sign with it
              {session.service ? <>, and logs it out at {new URL(session.service.baseUrl).host}</> : null}
              {apiKeyService ? <>, once {new URL(apiKeyService).host} confirms it revoked the key (your master key signs that)</> : null}.
            </>
          }
          action={session.apiKey ? 'Revoke API key' : 'Revoke session'}
          busyLabel="Revoking…"
        />
      )}
    </article>
  );
}
