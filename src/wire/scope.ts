/**
 * The scope of a master call (`spec/signing.md` §5.2): who the call is for (the audience, the
 * service's origin) and who asked for it (the site's origin; for Keyhold's own popup, the
 * extension's origin). A master signature over ListSessions or RevokeSession names both, so a
 * service that was handed one cannot replay it at another: the other refuses a foreign audience.
 *
 * Layout: `audience_length u8 ‖ audience ‖ site_length u8 ‖ site`, each an ASCII origin of
 * 1 … 255 bytes, exactly as serialised (RFC 6454 §6.2, WHATWG URL "origin"): `scheme "://" host
 * [":" port]`, lowercase, no default port, no path and no trailing slash.
 * @module
 */
import { afields, byteAt, describe } from './bytes.js';

/** Who a master call is for, and who asked. */
export interface MasterScope {
  /** The service's origin, e.g. `https://api.exchange.example`; http(s) only. */
  audience: string;
  /** The asking site's origin, e.g. `https://exchange.example` or `chrome-extension://<id>`. */
  site: string;
}

/** Longest origin a scope holds (its length is a u8). */
export const MAX_ORIGIN_BYTES = 255;

const SCHEME = '[a-z][a-z0-9+.-]*';
const HOST = '(?:[a-z0-9_.-]+|\\[[0-9a-f:.]+\\])';
const PORT = '(?::(?:[1-9][0-9]{0,4}))?';
const ORIGIN = new RegExp(`^(${SCHEME})://${HOST}${PORT}$`);

/**
 * Whether `text` is an origin exactly as serialised: the grammar above, a port at most 65535,
 * and, for the special schemes http and https, the WHATWG URL parser's own serialisation (so no
 * default port, a canonical IPv4 or IPv6 host, no `%`-escapes). Other schemes (extension pages)
 * are checked by the grammar only: the URL Standard gives them the opaque origin "null".
 */
export function isSerialisedOrigin(text: string): boolean {
  const m = ORIGIN.exec(text);
  if (m === null) return false;
  const port = /:(\d+)$/.exec(text);
  if (port !== null && Number(port[1]) > 65535) return false;
  if (m[1] === 'http' || m[1] === 'https') {
    try {
      return new URL(text).origin === text;
    } catch {
      return false;
    }
  }
  return true;
}

function checkOrigin(value: unknown, name: string, httpOnly: boolean): Uint8Array {
  if (typeof value !== 'string') throw new TypeError(`"${name}" expected string, got ${describe(value)}`);
  if (value.length === 0 || value.length > MAX_ORIGIN_BYTES) {
    throw new RangeError(`"${name}" must be 1 to ${MAX_ORIGIN_BYTES} characters, got ${value.length}`);
  }
  if (!isSerialisedOrigin(value)) throw new RangeError(`"${name}" is not a serialised origin such as "https://api.example.com"`);
  if (httpOnly && !/^https?:/.test(value)) throw new RangeError(`"${name}" must be an http(s) origin`);
  // The grammar admits ASCII only, so one character is one byte.
  return Uint8Array.from(value, (c) => c.charCodeAt(0));
}

/**
 * Encodes a scope.
 * @throws TypeError if `scope` is not an object or a field is not a string
 * @throws RangeError naming the field: empty, over 255 characters, not a serialised origin, or an
 *   audience that is not http(s)
 */
export function encodeScope(scope: MasterScope): Uint8Array {
  afields(scope, 'scope');
  const audience = checkOrigin(scope.audience, 'audience', true);
  const site = checkOrigin(scope.site, 'site', false);
  const out = new Uint8Array(2 + audience.length + site.length);
  out[0] = audience.length;
  out.set(audience, 1);
  out[1 + audience.length] = site.length;
  out.set(site, 2 + audience.length);
  return out;
}

function readOrigin(bytes: Uint8Array, at: number, name: string, httpOnly: boolean): { value: string; end: number } {
  if (at >= bytes.length) throw new RangeError(`"body" is truncated: no ${name}_length`);
  const length = byteAt(bytes, at);
  if (length === 0) throw new RangeError(`"body" ${name}_length is 0`);
  const end = at + 1 + length;
  if (end > bytes.length) throw new RangeError(`"body" is truncated inside ${name}`);
  let value = '';
  for (let i = at + 1; i < end; i++) {
    const c = byteAt(bytes, i);
    if (c < 0x21 || c > 0x7e) throw new RangeError(`"body" ${name} is not printable ASCII`);
    value += String.fromCharCode(c);
  }
  if (!isSerialisedOrigin(value) || (httpOnly && !/^https?:/.test(value))) {
    throw new RangeError(`"body" ${name} is not a serialised ${httpOnly ? 'http(s) ' : ''}origin`);
  }
  return { value, end };
}

/**
 * Decodes a scope that must fill `bytes` from `at` to the end.
 * @throws RangeError: truncated, a length 0, a byte outside printable ASCII, not a serialised
 *   origin (an audience must be http(s)), or trailing bytes
 */
export function decodeScopeAt(bytes: Uint8Array, at: number): MasterScope {
  const audience = readOrigin(bytes, at, 'audience', true);
  const site = readOrigin(bytes, audience.end, 'site', false);
  if (site.end !== bytes.length) throw new RangeError(`"body" has ${bytes.length - site.end} trailing bytes after the scope`);
  return { audience: audience.value, site: site.value };
}

