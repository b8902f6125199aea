/**
 * A service's own descriptor, from `<baseUrl>/.well-known/keyhold.json`: the same origin rules
 * as every service call (the baseUrl was checked: https, or http on loopback), a time and size
 * cap, strict JSON (no duplicate key), the descriptor's own validation; cached per service and
 * re-fetched at most hourly. A service that serves none, or a bad one, has none: the session
 * then shows request types by number, or as the page describes them (as the site's word).
 * @module
 */
import { parseStrictJson } from '../../src/policy/strict-json.js';
import { MAX_DESCRIPTOR_BYTES, parseDescriptor } from '../../src/protocol/descriptor-params.js';
import type { ServiceDescriptor } from '../../src/protocol/descriptor.js';
import { readAtMost } from '../services/http.js';

export const DESCRIPTOR_PATH = '/.well-known/keyhold.json';
export const DESCRIPTOR_TTL_MS = 3_600_000;
/** Shorter than a service call's cap: the approval window waits on it. */
export const DESCRIPTOR_TIMEOUT_MS = 5_000;

export interface DescriptorSource {
  /** The service's descriptor, or null when it has none (or a bad one). Never throws. */
  forService(baseUrl: string): Promise<ServiceDescriptor | null>;
}

export function fetchDescriptors(fetchFn: typeof fetch = (...a) => fetch(...a), now: () => number = Date.now): DescriptorSource {
  const cache = new Map<string, { at: number; value: ServiceDescriptor | null }>();
  return {
    async forService(baseUrl) {
      const hit = cache.get(baseUrl);
      if (hit && now() - hit.at < DESCRIPTOR_TTL_MS) return hit.value;
      let value: ServiceDescriptor | null = null;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), DESCRIPTOR_TIMEOUT_MS);
      try {
        const response = await fetchFn(new URL(DESCRIPTOR_PATH, baseUrl).href, { signal: controller.signal, credentials: 'omit', redirect: 'error', cache: 'no-store' });
        const bytes = response.ok ? await readAtMost(response, MAX_DESCRIPTOR_BYTES) : null;
        const parsed = bytes ? parseStrictJson(bytes) : null;
        if (parsed?.ok) value = parseDescriptor(parsed.value, 'descriptor');
      } catch {
        value = null;
      } finally {
        clearTimeout(timer);
      }
      cache.set(baseUrl, { at: now(), value });
      return value;
    },
  };
}
