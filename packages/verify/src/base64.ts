/**
 * Strict standard base64 (RFC 4648 §4), as `spec/signing.md` §1 requires: only the one
 * canonical text of a byte string is accepted. `atob`/`btoa` exist in every runtime we target.
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { badRequest } from './errors.js';

const SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded base64 of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** base64url without padding (WebAuthn's challenge encoding). */
export const encodeBase64url = (bytes: Uint8Array): string =>
  encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * Decodes a member that must hold canonical standard base64.
 * @throws VerifyError 400 `bad_base64` naming `field`
 */
export function decodeBase64(text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string') throw badRequest('bad_base64', `"${field}" must be a standard base64 string, got ${typeof text}`);
  if (!SHAPE.test(text)) throw badRequest('bad_base64', `"${field}" is not standard padded base64`);
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  // atob ignores non-zero unused bits; the re-encoding exposes them.
  if (encodeBase64(bytes) !== text) throw badRequest('bad_base64', `"${field}" is not canonical base64 (non-zero unused bits)`);
  return bytes;
}

/** Lower-case hex of `bytes` (noble's). */
export const toHex = (bytes: Uint8Array): string => bytesToHex(bytes);

/** Constant-time equality of two byte strings (the length may leak; the content does not): noble's. */
export { equalBytes } from '@noble/curves/utils.js';
