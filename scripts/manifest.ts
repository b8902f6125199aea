/**
 * The extension manifest, one source for every browser: the build writes it per target. The
 * targets differ only in how the background runs and in browser-specific keys:
 *
 * - Chromium: `background.service_worker`, `minimum_chrome_version`.
 * - Firefox: `background.scripts` as an ES module (Firefox runs MV3 backgrounds as event pages,
 *   not service workers; a module can `import()` the worker's rarer code on demand, see
 *   `buildWorker` in `build.ts`) and `browser_specific_settings.gecko`: a fixed add-on id, so storage and
 *   IndexedDB survive reinstalls, and Firefox 129 as the minimum, the first with WebCrypto
 *   Ed25519 (MAIN-world content scripts need 128).
 * @module
 */
import pkg from '../package.json' with { type: 'json' };

export type Target = 'chromium' | 'firefox';

const WEB = ['http://*/*', 'https://*/*'];
/** Keyhold's add-on id in Firefox. */
export const GECKO_ID = 'keyhold@keyhold.dev';
export const GECKO_MIN_VERSION = '129.0';
export const CHROME_MIN_VERSION = '137';

const ICONS = { 16: 'icon-16.png', 32: 'icon-32.png', 48: 'icon-48.png', 128: 'icon-128.png' };

/**
 * Extension pages (and the worker) run only our own scripts and styles, and refuse to be framed.
 * The worker talks to services: over https anywhere, over plain http only on loopback (the
 * page API refuses other http services too).
 */
export const EXTENSION_PAGES_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function manifest(target: Target): Record<string, unknown> {
  return {
    manifest_version: 3,
    // The name is a brand and stays as it is; the rest of what the browser shows comes from
    // `_locales/` (the popup's strings too, through `popup/i18n.ts`).
    name: 'Keyhold',
    default_locale: 'en',
    version: pkg.version,
    description: '__MSG_extDescription__',
    icons: ICONS,
    action: { default_title: '__MSG_actionTitle__', default_popup: 'popup.html', default_icon: ICONS },
    ...(target === 'chromium'
      ? {
          minimum_chrome_version: CHROME_MIN_VERSION,
          background: { service_worker: 'background.js' },
          // Runtime messages and ports carry structured clones, as Firefox's always do, instead
          // of JSON (Chrome 148+; an older Chrome ignores the key and keeps JSON, which every
          // message Keyhold sends also survives).
          message_serialization: 'structured_clone',
        }
      : {
          background: { scripts: ['background.js'], type: 'module' },
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: GECKO_MIN_VERSION,
              // Keyhold collects nothing: it talks only to the services a site names, for the user.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }),
    // Only what is used: session storage for approvals, alarms for expiry and revocation retries,
    // and unlimitedStorage so the browser never evicts the vault, the sessions and the
    // revocations still owed to services (evicted, a service would keep a session the user
    // revoked). Chromium exempts such an extension from quota and eviction; Firefox grants it
    // persistent storage when the worker asks (`background/storage/`). No install warning in
    // either.
    permissions: ['storage', 'alarms', 'unlimitedStorage'],
    // Access to a service's host is asked for when the user approves a session for it (loopback
    // services answer CORS and need none).
    optional_host_permissions: ['https://*/*'],
    content_scripts: [
      { matches: WEB, js: ['inpage.js'], run_at: 'document_start', world: 'MAIN' },
      { matches: WEB, js: ['relay.js'], run_at: 'document_start' },
    ],
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
  };
}
