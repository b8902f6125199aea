/**
 * Refuses to run inside a frame. Extension pages are never meant to be embedded, and a framed
 * approval window could be overlaid by the embedder to trick a click (clickjacking). Imported
 * first by every page entry, so nothing else runs when it throws.
 * @module
 */

if (window.top !== window) {
  document.documentElement.replaceChildren();
  throw new Error('Keyhold pages refuse to run inside a frame.');
}

export {};
