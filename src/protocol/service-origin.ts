/**
 * A service's origin as the page API takes it (`keyhold_createSession`'s and
 * `keyhold_createApiKey`'s `service.baseUrl`). Its own module so the page and wallet validators
 * share it without importing each other.
 * @module
 */
import { astring } from './assert.js';
import { invalidParams } from './errors.js';

const LOOPBACK = /^(localhost|127\.0\.0\.1)$/;
export const MAX_URL_CHARS = 2048;

/**
 * A service's origin: https, or http only on a loopback host (a device key must never cross a
 * network in the clear); no path, query, fragment or credentials.
 * @throws ProviderRpcError -32602 naming `field`.
 */
export function parseServiceOrigin(value: unknown, field: string): string {
  const text = astring(value, field, MAX_URL_CHARS);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidParams(`${field} must be an http(s) origin such as "https://api.example.com".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidParams(`${field} must use https (or http on a loopback host).`);
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) throw invalidParams(`${field} must use https unless its host is localhost or 127.0.0.1.`);
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw invalidParams(`${field} must be an origin only: no path, query, fragment or credentials.`);
  }
  return url.origin;
}

