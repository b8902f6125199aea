/**
 * The extension manifest, one source for every browser: the build writes it per target.
 * @module
 */
import pkg from '../package.json' with { type: 'json' };

export type Target = 'chromium' | 'firefox';

const WEB = ['http://*/*', 'https://*/*'];
const ICONS = { 16: 'icon-16.png', 32: 'icon-32.png', 48: 'icon-48.png', 128: 'icon-128.png' };

/** Extension pages run only our own scripts and styles, and refuse to be framed. */
export const EXTENSION_PAGES_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function manifest(target: Target): Record<string, unknown> {
  return {
    manifest_version: 3,
    name: 'Keyhold',
    version: pkg.version,
    description: 'Keeps your session and device keys out of web pages: Keyhold holds them and signs for the sites you approve.',
    icons: ICONS,
    action: { default_title: 'Keyhold', default_popup: 'popup.html', default_icon: ICONS },
    ...(target === 'chromium'
      ? { minimum_chrome_version: '137', background: { service_worker: 'background.js' } }
      : {}),
    // Only what is used: session storage for approvals, alarms for expiry.
    permissions: ['storage', 'alarms'],
    content_scripts: [
      { matches: WEB, js: ['inpage.js'], run_at: 'document_start', world: 'MAIN' },
      { matches: WEB, js: ['relay.js'], run_at: 'document_start' },
    ],
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
  };
}
