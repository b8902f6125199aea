/**
 * A service's own descriptor, from `<baseUrl>/.well-known/keyhold.json`: the same origin rules
 * as every service call (the baseUrl was checked: https, or http on loopback), a time and size
 * cap, strict JSON (no duplicate key), the descriptor's own validation; cached per service and
 * re-fetched at most hourly (the cache is the worker's memory: bounded, and empty after a
 * restart). A service that serves none, or a bad one, has none: the session then shows request
 * types by number, or as the page describes them (as the site's word).
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

/** Services whose answer is kept (the most recently used): the cache's memory stays bounded. */
export const DESCRIPTOR_CACHE_ENTRIES = 32;
/** Fetches at once, all services together: at most this many answers are being read. */
export const DESCRIPTOR_FETCHES_AT_ONCE = 4;

export function fetchDescriptors(fetchFn: typeof fetch = (...a) => fetch(...a), now: () => number = Date.now): DescriptorSource {
  const cache = new Map<string, { at: number; value: ServiceDescriptor | null }>();
  // One fetch per service at a time, and a few at once in all: a page that asks for sessions at
  // a thousand services (each answer up to 256 KiB) waits its turn instead of growing memory.
  const inFlight = new Map<string, Promise<ServiceDescriptor | null>>();
  let running = 0;
  const waiting: Array<() => void> = [];
  const slot = async (): Promise<void> => {
    if (running < DESCRIPTOR_FETCHES_AT_ONCE) {
      running++;
      return;
    }
    // The slot is handed over by the fetch that ends, so `running` stays at the cap.
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  const load = async (baseUrl: string): Promise<ServiceDescriptor | null> => {
    await slot();
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
      release();
    }
    cache.delete(baseUrl);
    cache.set(baseUrl, { at: now(), value });
    // A Map iterates in insertion order: the first key is the least recently stored.
    while (cache.size > DESCRIPTOR_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    return value;
  };

  return {
    forService(baseUrl) {
      const hit = cache.get(baseUrl);
      if (hit && now() - hit.at < DESCRIPTOR_TTL_MS) return Promise.resolve(hit.value);
      let pending = inFlight.get(baseUrl);
      if (!pending) {
        pending = load(baseUrl).finally(() => inFlight.delete(baseUrl));
        inFlight.set(baseUrl, pending);
      }
      return pending;
    },
  };
}
