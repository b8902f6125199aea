/**
 * The one gate every use of a session passes (`keyhold_signRequest`, `keyhold_send`, and any
 * later method that signs with a session key): origin, expiry, pending login, request type and
 * `requiresUnlock`, then the session's policy in its fixed order (paused, maxPerMinute,
 * maxPerHour, rules, caps), then, for a `confirmTypes` type, the user's click. A refusal signs
 * nothing and is logged. An admitted use is counted at once; the caller releases it if its
 * signature is not made, and lets nothing signed leave the worker before `counted` resolves.
 * @module
 */
import { ProviderRpcError, unauthorized, ErrorCode } from '../../src/protocol/errors.js';
import type { PolicyRuleName } from '../../src/protocol/policy.js';
import type { AuditEntry } from '../audit/log.js';
import type { SessionRecord } from '../db.js';
import type { SigningDeps } from '../deps.js';
import { confirmWithUser } from '../policy/confirm.js';
import type { SessionPolicyRuntime } from '../policy/session-policy.js';
import { refusePending, refuseRequestType, refuseUse } from './policy.js';
import type { LiveSession } from './store.js';
import type { SessionUse } from './use.js';

export type { SessionUse };
import { logError } from '../platform/log.js';

export const UNLOCK_TO_USE_SESSION = 'Unlock Keyhold to use this session';

/** A session admitted for one signature. */
export interface Admission extends LiveSession {
  /** Takes the signature back out of the policy's counts: call it when it was not made. */
  release(): void;
  /**
   * Set when storage does not count this use yet (the stored reservation ran out): the caller
   * may sign meanwhile, but nothing signed may leave the worker before it resolves (a worker
   * killed before then never answers, so its counts stay at least the true ones). It rejects
   * when the write fails; the use is then released.
   */
  counted?: Promise<void>;
}

/** The error of a policy refusal: 4100 with `data.policy` naming the rule. */
export const policyRefusal = (rule: PolicyRuleName, message: string): ProviderRpcError =>
  new ProviderRpcError(ErrorCode.Unauthorized, message, { policy: rule });

/**
 * Admits `use` now, or throws why not. Takes the signing deps (the hot path): the vault, the
 * approvals and the extension pages are reached through `full()`, on the gate's rare turns.
 * @throws ProviderRpcError 4100 naming the first check that refuses (`data.policy` for a
 *   policy rule), 4001 when the user rejects a confirmation.
 */
export async function admitSessionUse(deps: SigningDeps, use: SessionUse, nowMs: number): Promise<Admission> {
  const session = deps.sessions.peek(use.sessionId) ?? (await deps.sessions.get(use.sessionId));
  const refusal = refuseUse(session?.record, use.origin, nowMs);
  if (refusal || !session) throw refusal ?? unauthorized('Unknown session.');
  const later = refusePending(session.record) ?? refuseRequestType(session.record, use.requestType);
  if (later) throw later;
  // Only keys created with requiresUnlock look at the vault; the hot path stays synchronous.
  if (session.record.requiresUnlock === true && !(await (await deps.full()).vault.isUnlocked())) throw unauthorized(UNLOCK_TO_USE_SESSION);
  const policy = deps.policies.peek(use.sessionId) ?? (await deps.policies.load(session.record));
  let now = nowMs;
  let verdict = policy.evaluate(use.requestType, use.body, now);
  if (verdict.refused === null && policy.confirms(use.requestType)) {
    // The signatures batched with this one need not wait for the click.
    use.onWait?.();
    await confirmWithUser(await deps.full(), session.record, use, () => refuseBy(deps, session.record, policy, use, 'paused', 'This session was paused while its confirmation waited.', deps.now()));
    // The user took their time: everything is checked again as of now.
    now = deps.now();
    verdict = policy.evaluate(use.requestType, use.body, now);
  }
  if (verdict.refused !== null) return refuseBy(deps, session.record, policy, use, verdict.refused, verdict.message, now);
  const ticket = policy.reserve(verdict.amounts, now);
  const release = () => policy.release(ticket);
  // Usually durable at once (a slot of the stored reservation). Otherwise the caller signs while
  // the write is in flight, and answers once it is done: a burst never stalls on storage.
  const durable = policy.makeDurable(ticket);
  if (!durable) return { ...session, release };
  const counted = durable.catch((err: unknown) => {
    release();
    throw err;
  });
  // The caller awaits it after signing; until then a failed write is no unhandled rejection.
  counted.catch(() => undefined);
  return { ...session, release, counted };
}

/** Logs the refusal, counts it toward the auto-pause, and throws it. */
async function refuseBy(deps: SigningDeps, record: SessionRecord, policy: SessionPolicyRuntime, use: SessionUse, rule: PolicyRuleName, message: string, now: number): Promise<never> {
  const entry: AuditEntry = { at: now, origin: use.origin, kind: 'policy-refused', sessionId: use.sessionId, requestType: use.requestType, policy: rule };
  const type = record.descriptor?.descriptor.requestTypes[String(use.requestType)];
  if (type) {
    entry.typeName = type.name;
    entry.risk = type.risk;
  }
  deps.audit.record(entry);
  if (rule !== 'paused' && (await policy.noteLimitHit(now).catch((err: unknown) => {
    logError('policy auto-pause', err);
    return false;
  }))) {
    deps.audit.record({ at: now, origin: use.origin, kind: 'session-paused', sessionId: use.sessionId, by: 'auto' });
    void deps.full().then((worker) => worker.tellExtensionPages('popup:sessions-changed'), (err: unknown) => logError('policy auto-pause', err));
  }
  // Written before the page hears of it: a worker killed right after still has it in the log.
  await deps.audit.flush();
  throw policyRefusal(rule, message);
}
