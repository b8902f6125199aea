/**
 * Onboarding: on a fresh install, Keyhold opens its welcome tab (`onboarding.html`), which
 * explains sessions, service sessions and the optional vault and sets the vault up. An update
 * or a browser restart opens nothing.
 * @module
 */

/** The part of `browser.tabs` this needs. */
export interface TabOpener {
  create(props: { url: string; active?: boolean }): Promise<unknown>;
}

export const ONBOARDING_PAGE = 'onboarding.html';

/**
 * Opens the welcome tab when `reason` is a fresh install (`runtime.onInstalled`'s `reason`).
 * Returns whether it opened one.
 */
export async function openOnboardingOnInstall(reason: string, tabs: TabOpener, url: string): Promise<boolean> {
  if (reason !== 'install') return false;
  await tabs.create({ url, active: true });
  return true;
}
