/**
 * A session card's policy part: Paused (by the user, or by itself after hitting its limits
 * again and again) with Resume, or Pause; each rule in plain words, with what the caps have used.
 * @module
 */
import { useState } from 'preact/hooks';
import type { SessionView } from '../../src/protocol/extension-rpc.js';
import { policyWords, typeName } from '../policy-words.js';
import type { ServiceDescriptor } from '../../src/protocol/descriptor.js';
import { call } from '../rpc.js';
import { t } from '../i18n.js';

export function SessionPolicy({ session, labelId }: { session: SessionView; labelId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const d = session.descriptor;
  const descriptor: ServiceDescriptor | undefined = d ? { name: d.name, requestTypes: d.requestTypes } : undefined;
  const words = session.policy ? policyWords(session.policy, descriptor) : [];
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(session.paused ? 'session_resume' : 'session_pause', { sessionId: session.id });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="session__policy">
      {session.paused && (
        <p class={`callout ${session.paused.by === 'auto' ? 'callout--danger' : ''}`} role="status">
          {session.paused.by === 'auto' ? t('policyPausedAuto') : t('policyPausedUser')}
        </p>
      )}
      {d && session.requestTypes && (
        <p class="fine-print">
          {session.requestTypes.map((type) => `${typeName(type, descriptor)}${d.requestTypes[String(type)] ? `, ${d.requestTypes[String(type)]!.risk}` : ''}`).join('; ')}
          {d.source === 'site' ? ` ${t('policyBySite')}` : ''}
        </p>
      )}
      {words.length > 0 && (
        <ul class="policy__rules" aria-label={t('policyList')}>
          {words.map((w) => (
            <li key={w}>{w}</li>
          ))}
          {session.policy?.caps?.map((c, i) => (
            <li key={`used-${i}`}>
              {t('policyCapUsed', typeName(c.requestType, descriptor), session.capSums?.[i] ?? 0, c.max)}
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="btn btn--ghost btn--sm" aria-describedby={labelId} disabled={busy} onClick={() => void toggle()}>
        {session.paused ? t('policyResume') : t('policyPause')}
      </button>
      {error && <p class="callout callout--danger">{error}</p>}
    </div>
  );
}
