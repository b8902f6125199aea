/**
 * A session's status as a badge: Active, Expired, Login pending.
 * @module
 */
import { statusLabel, type SessionStatus } from '../session-groups.js';

const TONE: Record<SessionStatus, string> = {
  active: 'badge--ok',
  expired: 'badge--danger',
  'login-pending': 'badge--warn',
};

export function StatusBadge({ status }: { status: SessionStatus }) {
  return (
    <span class={`badge badge--dot ${TONE[status]}`}>
      {statusLabel(status)}
    </span>
  );
}
