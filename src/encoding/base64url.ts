/**
 * base64url without padding, as WebAuthn spells credential ids (`PublicKeyCredential.id`), for
 * the ids and PRF inputs the worker and the popup exchange: `@scure/base`'s strict codec (one
 * text per byte string). Pure.
 * @module
 */
import { base64urlnopad } from '@scure/base';
import { invalidParams } from '../protocol/errors.js';

export const toBase64Url = (b: Uint8Array): string => base64urlnopad.encode(b);

/**
 * @throws ProviderRpcError -32602 naming `field` unless canonical base64url of `min` to `max` bytes
 */
export function fromBase64Url(v: unknown, field: string, min: number, max: number): Uint8Array {
  if (typeof v !== 'string' || v.length > Math.ceil((max * 4) / 3)) throw invalidParams(`${field} must be base64url.`);
  let out: Uint8Array;
  try {
    out = base64urlnopad.decode(v);
  } catch {
    throw invalidParams(`${field} must be base64url.`);
  }
  if (out.length < min || out.length > max) throw invalidParams(`${field} must be ${min === max ? `${min}` : `${min} to ${max}`} bytes.`);
  return out;
}
