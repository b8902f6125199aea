/**
 * Registrable domains ("eTLD+1") from the Public Suffix List, through `tldts` (the list is
 * bundled, so nothing is fetched). Private suffixes count (`alice.github.io` and
 * `bob.github.io` are different parties), and a host the list cannot split (an IP address,
 * `localhost`, a single label) is its own registrable domain. Used by the worker only: the
 * list is too large for the popup bundle, so the worker hands the split to the windows.
 * @module
 */
import { parse } from 'tldts';

/** A host split for display: the registrable domain set apart from the labels before it. */
export interface HostParts {
  /** The labels before the registrable domain, with their trailing dot ("" when none). */
  subdomain: string;
  /** The registrable domain, or the whole host when the list cannot split it. */
  domain: string;
}

/**
 * The registrable domain of a host (lower-case, punycode as the URL parser gives it).
 * @throws TypeError when `host` is not a string.
 */
export function registrableDomain(host: string): string {
  if (typeof host !== 'string') throw new TypeError(`host must be a string, got ${typeof host}`);
  const lower = host.toLowerCase();
  const parsed = parse(lower, { allowPrivateDomains: true });
  return parsed.isIp || !parsed.domain ? lower : parsed.domain;
}

/** The host split into the part before its registrable domain and the domain itself. */
export function hostParts(host: string): HostParts {
  const domain = registrableDomain(host);
  const lower = host.toLowerCase();
  return { subdomain: lower.slice(0, lower.length - domain.length), domain };
}

/** The registrable domain of an http(s) origin such as `https://app.example.com:8443`. */
export function originDomain(origin: string): string {
  return registrableDomain(new URL(origin).hostname);
}

/** Whether two origins share a registrable domain (scheme and port aside). */
export function sameSite(a: string, b: string): boolean {
  return originDomain(a) === originDomain(b);
}
