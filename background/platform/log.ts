/**
 * The one place the worker logs an error it caught and does not pass on (a background job, a
 * best-effort write). Only where it happened and the error's name are logged: a message can
 * quote a value, and values may be secret (principle 4: no secret in a log line).
 * @module
 */

/** Where an error was caught, as a fixed label ("audit flush", "vault re-key"). */
export type LogSite = string;

/** Logs a caught error: the site and the error's name (`TypeError`, `QuotaExceededError`), never its message. */
export function logError(site: LogSite, err: unknown): void {
  const name = err instanceof Error ? err.name : typeof err;
  console.error(`Keyhold: ${site} failed (${name})`);
}

/** `logError` bound to a site, for `.catch(logAt('…'))`. */
export const logAt = (site: LogSite) => (err: unknown): void => logError(site, err);
