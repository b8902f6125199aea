/**
 * Onboarding: a fresh install opens the welcome tab; an update or a browser update opens nothing.
 * @module
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ONBOARDING_PAGE, openOnboardingOnInstall } from '../../background/onboarding/open.js';

test('the welcome tab opens on install only', async () => {
  const opened: Array<{ url: string; active?: boolean }> = [];
  const tabs = { create: async (p: { url: string; active?: boolean }) => void opened.push(p) };
  const url = `chrome-extension://id/${ONBOARDING_PAGE}`;
  for (const reason of ['update', 'chrome_update', 'browser_update', 'shared_module_update']) {
    assert.equal(await openOnboardingOnInstall(reason, tabs, url), false, reason);
  }
  assert.deepEqual(opened, []);
  assert.equal(await openOnboardingOnInstall('install', tabs, url), true);
  assert.deepEqual(opened, [{ url, active: true }]);
});
