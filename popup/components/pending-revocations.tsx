/**
 * Revocations Keyhold has made locally but not yet delivered to their service: the session
 * can no longer sign here, and Keyhold keeps telling the service until it confirms.
 * @module
 */
import type { RevocationView } from '../../src/protocol/extension-rpc.js';

export function PendingRevocations({ revocations }: { revocations: RevocationView[] }) {
  return (
    <section class="group" aria-labelledby="owed-title">
      <h2 class="group__title" id="owed-title">
        Revocation pending
      </h2>
      <ul class="owed">
        {revocations.map((r) => (
          <li key={r.sessionId} class="card owed__item">
            <p>
              A session of <strong>{new URL(r.origin).host}</strong> is revoked here; Keyhold is still telling{' '}
              <strong>{new URL(r.baseUrl).host}</strong>.
            </p>
            <p class="owed__meta">
              {r.attempts} attempt{r.attempts === 1 ? '' : 's'}
              {r.lastError ? ` — last: ${r.lastError}` : ''}. Next try at{' '}
              <time dateTime={new Date(r.nextAttemptAt).toISOString()}>{new Date(r.nextAttemptAt).toLocaleTimeString()}</time>.
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
