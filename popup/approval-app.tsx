/**
 * The approval window: shows the oldest pending request, lets the user approve or reject it,
 * and closes itself once the queue is empty. Reloads on the worker's "approvals changed" nudge
 * and polls every second as a fallback. Escape rejects.
 * @module
 */
import { ensureHostAccess } from './host-access.js';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApprovalView } from '../src/protocol/extension-rpc.js';
import { onApprovalWindowRaised, onApprovalsChanged } from './approval-events.js';
import { HostSplits } from './host-split.js';
import { AppHeader } from './components/app-header.js';
import { DecisionBar } from './components/decision-bar.js';
import { ApprovalBody, approvalTitle, needsAcknowledgement, needsMaster } from './components/approval-body.js';
import { defaultPick } from './components/connect-request.js';
import { ErrorNotice, Loading } from './components/status-views.js';
import { useArmDelay, useShownCount } from './hooks/use-arm-delay.js';
import { useRemote } from './hooks/use-remote.js';
import { useVault } from './hooks/use-vault.js';
import { call } from './rpc.js';
import { policyChoice } from './policy-choice.js';
import { ApprovalSite } from './approval/approval-site.js';
import { t, tCount } from './i18n.js';

const listApprovals = (): Promise<ApprovalView[]> => call('approval_list', {});

export function ApprovalApp() {
  const { state, reload, refresh } = useRemote(listApprovals, { pollMs: 1000, subscribe: onApprovalsChanged });
  const [busy, setBusy] = useState(false);
  const [decideError, setDecideError] = useState<Error | null>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);

  const queue = state.status === 'ready' ? state.data : [];
  const head = decideError === null ? queue[0] : undefined;
  const more = Math.max(0, queue.length - 1);
  const vault = useVault();
  const vaultView = vault.state.status === 'ready' ? vault.state.data : null;
  // Approve re-arms whenever the window is shown, focused or brought forward, and whenever what
  // it shows changes (another request at the head, the count waiting, the vault's state).
  const shown = useShownCount(onApprovalWindowRaised);
  const armed = useArmDelay(head === undefined ? undefined : [head.id, queue.length, vaultView?.exists, vaultView?.unlocked, shown].join(' '));
  // A SIWE message for another site or account, or a service login for another site, needs a second, deliberate confirmation.
  const [acknowledged, setAcknowledged] = useState(false);
  useEffect(() => setAcknowledged(false), [head?.id]);
  // A connect request: the accounts the site will see, the selected one ticked at first (the
  // live vault's: a site may have asked before the vault existed).
  const [picked, setPicked] = useState<string[]>([]);
  const selectedNow = vaultView?.selected ?? null;
  useEffect(() => setPicked(head?.kind === 'connect' ? defaultPick(head, vaultView) : []), [head?.id, selectedNow]);
  // What holds Approve besides the arm delay, in words for the status line under it.
  const held =
    head === undefined
      ? undefined
      : needsMaster(head) && vaultView?.unlocked !== true
        ? t('approvalHeldUnlock')
        : needsAcknowledgement(head) && !acknowledged
          ? t('approvalHeldConfirm')
          : // A site asked to connect before Keyhold had an account: nothing to connect yet.
            head.kind === 'connect' && vaultView?.exists !== true
            ? t('approvalHeldNoAccount')
            : head.kind === 'connect' && picked.length === 0
              ? t('approvalHeldPick')
              : undefined;
  const blocked = held !== undefined;

  async function decide(approve: boolean): Promise<void> {
    if (head === undefined || busy) return;
    setBusy(true);
    try {
      if (approve && !(await ensureHostAccess(head))) {
        throw new Error(t('approvalHostAccess'));
      }
      await call('approval_decide', {
        approvalId: head.id,
        approve,
        ...(approve && acknowledged ? { acknowledged } : {}),
        ...(approve && head.kind === 'connect' ? { accounts: picked } : {}),
        ...(approve ? policyChoice(head.id) : {}),
      });
    } catch (e) {
      setDecideError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
    await refresh();
  }
  const decideRef = useRef(decide);
  decideRef.current = decide;

  // A new request at the head: put focus on the safe choice.
  useLayoutEffect(() => {
    if (head !== undefined) rejectRef.current?.focus();
  }, [head?.id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      void decideRef.current(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const empty = state.status === 'ready' && queue.length === 0;
  useEffect(() => {
    // The worker closes the window, and only if nothing new arrived meanwhile; otherwise a
    // request arriving as the window closed would be rejected unseen.
    if (empty && !busy) void call('approval_windowIdle', {}).then(({ closed }) => (closed ? undefined : refresh()), () => undefined);
  }, [empty, busy]);

  return (
    <div class="page">
      <AppHeader>
        <p class="app-header__aside" aria-live="polite">
          {more > 0 && <span class="badge badge--neutral">{tCount(more, 'approvalMoreWaiting_one', 'approvalMoreWaiting_other')}</span>}
        </p>
      </AppHeader>
      <main class="page__main">
        <h1 class="page-title">{head ? approvalTitle(head) : t('approvalRequests')}</h1>
        {decideError !== null ? (
          <ErrorNotice
            title={t('approvalNotRecorded')}
            error={decideError}
            onRetry={() => {
              setDecideError(null);
              void reload();
            }}
          />
        ) : state.status === 'loading' ? (
          <Loading label={t('approvalLoading')} />
        ) : state.status === 'error' ? (
          <ErrorNotice title={t('approvalLoadFailed')} error={state.error} onRetry={() => void reload()} />
        ) : head === undefined ? (
          <div class="state" role="status">
            <p class="state__text">{t('approvalNoneWaiting')}</p>
          </div>
        ) : (
          <HostSplits.Provider value={head.hosts}>
            <ApprovalSite.Provider value={head.site}>
            <ApprovalBody
              approval={head}
              vault={vaultView}
              onVaultChanged={() => void vault.refresh()}
              acknowledged={acknowledged}
              onAcknowledge={setAcknowledged}
              picked={picked}
              onPick={setPicked}
            />
            </ApprovalSite.Provider>
          </HostSplits.Provider>
        )}
      </main>
      {head !== undefined && (
        <footer class="page__footer">
          <DecisionBar busy={busy} armed={armed && !blocked} arming={!armed} held={held} rejectRef={rejectRef} onDecide={(approve) => void decide(approve)} />
        </footer>
      )}
    </div>
  );
}
