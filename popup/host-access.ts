/**
 * Host access for a service, asked when the user approves a session for it: the browser's own
 * permission prompt, in the user's click. Loopback services (the reference service, the demo)
 * answer CORS and need none, so tests and the demo see no prompt.
 * @module
 */
import browser from 'webextension-polyfill';
import type { ApprovalView } from '../src/protocol/extension-rpc.js';

/** Whether Keyhold may call the approval's service; asks the user when it may not yet. */
export async function ensureHostAccess(approval: ApprovalView): Promise<boolean> {
  if (approval.kind !== 'createSession' || !approval.params.service) return true;
  const url = new URL(approval.params.service.baseUrl);
  if (url.protocol === 'http:') return true;
  // Called straight from the click: the prompt needs the user's gesture.
  return browser.permissions.request({ origins: [`${url.origin}/*`] });
}
