/**
 * `chrome.alarms` as the worker uses it: the slice of the API every alarm needs, and the facts
 * every alarm plans around. Alarms survive worker restarts; timers do not.
 * @module
 */

/** Chrome fires an alarm at most every 30 s; an earlier `when` fires at 30 s. */
export const MIN_ALARM_DELAY_MS = 30_000;

/** The slice of `browser.alarms` the worker's alarms need (tests pass fakes). */
export interface AlarmsApi {
  create(name: string, info: { when: number }): void;
  clear(name: string): Promise<boolean>;
}
