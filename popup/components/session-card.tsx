/**
 * One session this browser holds, as a person reads it: its name, what it may do in words
 * (the service's names for its request types, or "any request"), the time it has left, where it
 * is logged in, and Revoke (a quiet, per-session action that asks first). What only a developer
 * needs (access role, subaccount, request type numbers, ids, the public key) is behind
 * "Details". The countdown ticks by itself (`Countdown`); the card re-renders only when the
 * session's status changes.
 * @module
 */
import { useComputed } from '@preact/signals';
import type { SessionView } from '../../src/protocol/extension-rpc.js';
import { describeRequestTypes, subaccountLabel } from '../format.js';
import { t } from '../i18n.js';
import { useConfirm } from '../hooks/use-confirm.js';
import { sessionStatus } from '../session-groups.js';
import { capability } from '../session-words.js';
import { now } from '../store.js';
import { Countdown } from './countdown.js';
import type { Fact } from './fact-list.js';
import { OriginName } from './origin-name.js';
import { RoleBadge } from './role-badge.js';
import { StatusBadge } from './status-badge.js';
import { SessionPolicy } from './session-policy.js';
import { SessionFoot, accessFacts, idFacts } from './session-foot.js';

export interface SessionCardProps {
  session: SessionView;
  /** Revokes the session; rejects with the worker's error. */
  onRevoke: (sessionId: string) => Promise<void>;
}

const hostOf = (url: string) => new URL(url).host;

function revokeDetail(session: SessionView): string {
  const site = hostOf(session.origin);
  const apiKeyAt = session.apiKey?.baseUrl ?? null;
  if (apiKeyAt !== null) return t('revokeDetailApiKey', site, hostOf(apiKeyAt));
  if (session.service) return t('revokeDetailService', site, hostOf(session.service.baseUrl));
  return t('revokeDetail', site);
}

export function SessionCard({ session, onRevoke }: SessionCardProps) {
  const confirm = useConfirm(() => onRevoke(session.id));
  const labelId = `session-${session.id}-label`;
  // Read in render: the card re-renders when the status changes (to Expired), not each tick.
  const status = useComputed(() => sessionStatus(session, now.value)).value;
  const apiKeyService = session.apiKey?.baseUrl ?? null;

  const details: Fact[] = [
    ...accessFacts(session.role),
    { term: t('factAccount'), value: subaccountLabel(session.subaccountIndex) },
    { term: t('factRequestTypes'), value: describeRequestTypes(session.requestTypes) },
    ...(session.service?.sessionId
      ? [{ term: t('factServiceId'), value: <code class="key" title={t('factServiceIdTitle', session.service.sessionId)}>{session.service.sessionId}</code> }]
      : []),
    ...idFacts(session),
  ];

  return (
    <article class={`card session session--${status}`} aria-labelledby={labelId}>
      <div class="session__top">
        <h3 class={`session__label ${session.label === null ? 'session__label--unnamed' : ''}`} id={labelId}>
          {session.label ?? t('sessionUnnamed')}
        </h3>
        <span class="session__badges">
          {session.role === 'FULL_ACCESS' && <RoleBadge role={session.role} />}
          <StatusBadge status={status} />
        </span>
      </div>
      <p class="session__can">{capability(session)}</p>
      <p class="session__when">
        <Countdown until={session.validUntil} />
        {session.service && <span class="session__where-line">{t('cardLoggedInAt', hostOf(session.service.baseUrl))}</span>}
        {apiKeyService && (
          <span class="session__where-line">
            {t('cardApiKeyAt')} <OriginName origin={apiKeyService} />
          </span>
        )}
      </p>
      <SessionPolicy session={session} labelId={labelId} />
      <SessionFoot
        labelId={labelId}
        facts={details}
        confirm={confirm}
        revoke={t('revokeOne')}
        ask={{
          id: `session-${session.id}`,
          question: session.apiKey ? t('revokeApiKeyQuestion') : t('revokeSessionQuestion'),
          detail: revokeDetail(session),
          action: session.apiKey ? t('revokeApiKeyAction') : t('revokeSessionAction'),
        }}
      />
    </article>
  );
}
