/**
 * Whether this browser's extension messaging carries bytes (`Uint8Array`) as they are: Firefox
 * always clones; Chromium does from 148 on with the manifest's
 * `"message_serialization": "structured_clone"`, and older versions turn messages into JSON,
 * where a `Uint8Array` arrives as an object of numbered fields.
 * @module
 */
export const CHROME_STRUCTURED_CLONE_FROM = 148;

/** From a user agent string: no Chrome version in it (Firefox, Node) means messages clone. */
export function messagingCarriesBytes(userAgent: string): boolean {
  const chrome = /Chrome\/(\d+)/.exec(userAgent);
  return chrome === null || Number(chrome[1]) >= CHROME_STRUCTURED_CLONE_FROM;
}
