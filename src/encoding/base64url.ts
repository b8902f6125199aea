/**
 * base64url without padding, as WebAuthn spells credential ids (`PublicKeyCredential.id`), for
 * the ids and PRF inputs the worker and the popup exchange. Pure.
 * @module
 */
import { invalidParams } from '../protocol/errors.js';

export const toBase64Url = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/**
 * @throws ProviderRpcError -32602 naming `field` unless base64url of `min` to `max` bytes
 */
export function fromBase64Url(v: unknown, field: string, min: number, max: number): Uint8Array {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]*$/.test(v) || v.length % 4 === 1 || v.length > Math.ceil((max * 4) / 3)) {
    throw invalidParams(`${field} must be base64url.`);
  }
  const bin = atob(v.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (v.length % 4)) % 4));
  const out = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  if (out.length < min || out.length > max) throw invalidParams(`${field} must be ${min === max ? `${min}` : `${min} to ${max}`} bytes.`);
  return out;
}
