/**
 * The auto-lock: a `chrome.alarms` alarm set for the moment the vault will have been idle for
 * the auto-lock time. Alarms survive worker restarts; when it fires, the worker asks the vault
 * to lock if it is still idle (`Vault.lockIfIdle`), which re-arms it otherwise.
 * @module
 */
import type { AlarmsApi } from '../platform/alarms.js';
import { logAt } from '../platform/log.js';
import type { LockTimer } from './vault.js';

export const AUTOLOCK_ALARM = 'keyhold-autolock';

export const alarmLockTimer = (alarms: AlarmsApi): LockTimer => ({
  schedule: (atMs) => alarms.create(AUTOLOCK_ALARM, { when: atMs }),
  clear: () => void alarms.clear(AUTOLOCK_ALARM).catch(logAt('auto-lock clear')),
});
