/**
 * The foot of a session's card, wherever one is listed (the sessions this browser holds, the
 * master's list at a service): "Details" with the facts only a developer needs, Revoke, and
 * Revoke's confirm.
 * @module
 */
import type { Role } from '../../src/protocol/page-api.js';
import type { Confirm } from '../hooks/use-confirm.js';
import { roleLabel, shortId, shortKey } from '../format.js';
import { t } from '../i18n.js';
import { ConfirmBox, ConfirmTrigger } from './confirm-box.js';
import { FactList, type Fact } from './fact-list.js';

/** The access role, as a fact only where it limits the session (trading only). */
export function accessFacts(role: Role): Fact[] {
  return role === 'TRADING_ONLY' ? [{ term: t('factAccess'), value: roleLabel(role) }] : [];
}

/** The session's id and public key, shortened, whole in their titles. */
export function idFacts({ id, publicKey }: { id: string; publicKey: string }): Fact[] {
  return [
    { term: t('factSession'), value: <code class="key" title={id}>{shortId(id)}</code> },
    {
      term: t('factKey'),
      value: (
        <code class="key" title={t('factKeyTitle', publicKey)}>
          {shortKey(publicKey)}
        </code>
      ),
    },
  ];
}

export interface SessionFootProps {
  /** The id of the card's title: what Details and Revoke describe themselves by. */
  labelId: string;
  facts: Fact[];
  confirm: Confirm;
  /** Revoke's name; no Revoke where absent. */
  revoke: string | null;
  /** Revoke's confirm: its id, question, what will happen, and its action's name. */
  ask: { id: string; question: string; detail: string; action: string };
}

export function SessionFoot({ labelId, facts, confirm, revoke, ask }: SessionFootProps) {
  return (
    <>
      <div class="session__foot">
        <details class="disclosure">
          <summary class="disclosure__summary" aria-describedby={labelId}>
            {t('cardDetails')}
          </summary>
          <FactList class="facts--compact disclosure__body" facts={facts} />
        </details>
        {revoke !== null && confirm.step.kind === 'idle' && (
          <ConfirmTrigger confirm={confirm} class="btn btn--danger-text btn--sm" describedBy={labelId}>
            {revoke}
          </ConfirmTrigger>
        )}
      </div>
      <ConfirmBox {...ask} confirm={confirm} busyLabel={t('revoking')} />
    </>
  );
}
