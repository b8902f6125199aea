/**
 * What the browser says about the page that asks (`port.sender.tab`): its title and its icon,
 * kept with the approval so the window can show them, marked as the page's own words. Both are
 * the page's to choose, so both are bounded and cleaned here, where they enter the worker.
 *
 * The icon is shown only when the browser hands it over as a small `data:` image. Keyhold never
 * fetches a favicon URL: the page picks that URL (a tracker's, another site's), the request
 * would leave from the extension, it would need host access and a wider CSP, and an icon proves
 * nothing about who asks. The window shows a letter avatar of the verified domain instead.
 * @module
 */
import type { PageFacts } from '../../src/protocol/extension-rpc.js';

/** The slice of `runtime.MessageSender.tab` read here. */
export interface TabLike {
  title?: unknown;
  favIconUrl?: unknown;
}

/** Titles longer than this (in code points) are cut, with an ellipsis. */
export const MAX_TITLE = 80;
/** `data:` icons longer than this (characters) are dropped. */
export const MAX_ICON_CHARS = 8192;

const ICON = /^data:image\/(?:png|gif|webp|jpeg|x-icon|vnd\.microsoft\.icon);base64,[A-Za-z0-9+/]+={0,2}$/;
/** Controls, bidi overrides and isolates, zero-width characters, line and paragraph separators. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** More than two combining marks on one character draw outside its line (see the label check). */
const STACKED_MARKS = /(\p{M}{2})\p{M}+/gu;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The page's title, cleaned: invisible and direction-changing characters removed, whitespace
 * collapsed, stacked combining marks cut to two, at most {@link MAX_TITLE} code points. `undefined`
 * when nothing is left, or when the title is only the browser's stand-in (the page's address).
 */
export function cleanTitle(title: unknown, origin: string): string | undefined {
  if (typeof title !== 'string') return undefined;
  // Printable ASCII has nothing to normalise, hide or unstack: most titles skip the Unicode
  // patterns, whose first use costs a cold worker's first signature 0.4 ms.
  let text = (PRINTABLE_ASCII.test(title) ? title : title.normalize('NFC').replace(INVISIBLE, ' ').replace(STACKED_MARKS, '$1')).replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  // A page with no <title>: the browser shows its address instead, which says nothing new.
  try {
    const { host } = new URL(origin);
    if (host !== '' && text.toLowerCase().replace(/^https?:\/\//, '').startsWith(host.toLowerCase())) return undefined;
  } catch {
    // Not a URL: keep the title.
  }
  const points = [...text];
  if (points.length > MAX_TITLE) text = `${points.slice(0, MAX_TITLE - 1).join('').trimEnd()}…`;
  return text;
}

/** The icon, when it is a small raster `data:` image; nothing otherwise (never fetched). */
export function cleanIcon(url: unknown): string | undefined {
  return typeof url === 'string' && url.length <= MAX_ICON_CHARS && ICON.test(url) ? url : undefined;
}

/** The title and icon of the page that asks, as an approval keeps them. */
export function pageFacts(tab: TabLike | undefined, origin: string): PageFacts {
  const facts: PageFacts = {};
  const title = cleanTitle(tab?.title, origin);
  if (title !== undefined) facts.title = title;
  const icon = cleanIcon(tab?.favIconUrl);
  if (icon !== undefined) facts.icon = icon;
  return facts;
}
