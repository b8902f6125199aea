/**
 * Strict standard base64 (RFC 4648 §4), as `spec/signing.md` §1 requires: only the canonical
 * text of a byte string is accepted (alphabet `A–Z a–z 0–9 + /`, `=` padding, no whitespace, zero
 * unused bits). The service's own code, independent of the extension's codec.
 * @module
 */
import { badRequest } from './errors.js';

const SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes a JSON member that must hold canonical standard base64.
 * @param text - the member's value
 * @param field - the member's name, for the error message
 * @returns the bytes
 * @throws ServiceError 400 `bad_base64` if `text` is not a string or not canonical base64
 */
export function decodeBase64(text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string') {
    throw badRequest('bad_base64', `"${field}" must be a standard base64 string, got ${typeof text}`);
  }
  if (!SHAPE.test(text)) throw badRequest('bad_base64', `"${field}" is not standard padded base64`);
  const bytes = Buffer.from(text, 'base64');
  // Buffer ignores non-zero unused bits; the re-encoding exposes them.
  if (bytes.toString('base64') !== text) {
    throw badRequest('bad_base64', `"${field}" is not canonical base64 (non-zero unused bits)`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Standard padded base64 of `bytes`. */
export const encodeBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** base64url without padding (WebAuthn's challenge encoding). */
export const encodeBase64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
