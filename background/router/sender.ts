/**
 * Trust tiers, decided once per connection from what the browser says about the sender, never
 * from the message: a web page (through our content script) or one of Keyhold's own pages.
 * @module
 */

/** The fields of `runtime.MessageSender` that trust is decided from. */
export interface SenderLike {
  id?: string;
  url?: string;
  /** Chrome fills this in; Firefox does not, so `url` is the fallback. */
  origin?: string;
  tab?: { id?: number };
  frameId?: number;
}

const originOf = (url: string | undefined): string | null => {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * The web origin behind a page connection, or `null` when the sender is not a web page our
 * content script runs in (another extension, an opaque origin, an extension page).
 */
export function pageOrigin(sender: SenderLike, runtimeId: string): string | null {
  if (sender.id !== runtimeId || sender.tab?.id === undefined) return null;
  const origin = sender.origin ?? originOf(sender.url);
  if (!origin || origin === 'null') return null;
  return /^https?:\/\//.test(origin) ? origin : null;
}

/** Whether the sender is one of Keyhold's own extension pages (popup, approval window). */
export function isExtensionPage(sender: SenderLike, runtimeId: string, extensionBaseUrl: string): boolean {
  const base = extensionBaseUrl.endsWith('/') ? extensionBaseUrl : `${extensionBaseUrl}/`;
  if (sender.id !== runtimeId || !sender.url?.startsWith(base)) return false;
  // Not `new URL(base).origin`: the URL Standard makes that "null" for non-special schemes such
  // as chrome-extension: and moz-extension:, which would accept a sender whose origin is "null".
  const extensionOrigin = base.slice(0, -1);
  return (sender.origin ?? extensionOrigin) === extensionOrigin;
}
