/**
 * Expired sessions refuse to sign at once (policy.ts); this deletes them, keys included, on an
 * alarm set for the next expiry, and at every worker start.
 * @module
 */
import { MIN_ALARM_DELAY_MS, type AlarmsApi } from '../platform/alarms.js';
import type { SessionStore } from './store.js';

export const PURGE_ALARM = 'keyhold-purge';

export async function purgeAndReschedule(sessions: SessionStore, alarms: AlarmsApi, nowMs: number): Promise<number> {
  const purged = await sessions.purgeExpired(nowMs);
  await rescheduleOnly(sessions, alarms, nowMs);
  return purged;
}

export async function rescheduleOnly(sessions: SessionStore, alarms: AlarmsApi, nowMs: number): Promise<void> {
  const next = await sessions.nextExpiry();
  if (next === undefined) await alarms.clear(PURGE_ALARM);
  else alarms.create(PURGE_ALARM, { when: Math.max(next, nowMs + MIN_ALARM_DELAY_MS) });
}
