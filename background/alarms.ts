/**
 * Facts about `chrome.alarms` that every alarm of the worker plans around.
 * @module
 */

/** Chrome fires an alarm at most every 30 s; an earlier `when` fires at 30 s. */
export const MIN_ALARM_DELAY_MS = 30_000;
