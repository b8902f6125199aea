/**
 * Byte encodings the page API uses: standard base64 (RFC 4648 §4), 0x-hex, UTF-8. Built on
 * `btoa`/`atob`, which every browser and runtime has, so the client needs no dependency.
 * @module
 */

/** A request body: bytes, or a string sent as its UTF-8 bytes. */
export type BodyInput = Uint8Array | string;

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The bytes of a body: a string is UTF-8 text (not base64). */
export const bodyBytes = (body: BodyInput): Uint8Array => (typeof body === 'string' ? utf8(body) : body);

/** Standard padded base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short for 64 KiB bodies.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes of standard base64 text (as Keyhold answers it). */
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** `0x` and two lower-case hex digits a byte, as `personal_sign` takes data. */
export const toHex = (bytes: Uint8Array): string => `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
