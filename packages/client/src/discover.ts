/**
 * Finding Keyhold by EIP-6963: ask every injected wallet to announce itself and take the one
 * whose `rdns` is `dev.keyhold`. Resolves `null` when Keyhold is absent, after `timeoutMs` at
 * most, and at once where there is no `window` (server-side rendering).
 * @module
 */
import type { KeyholdProvider } from './types.js';

/** Keyhold's EIP-6963 reverse-DNS name. */
export const KEYHOLD_RDNS = 'dev.keyhold';

export interface FindKeyholdOptions {
  /** How long to wait for an announcement, ms (default 500). Keyhold announces at once when installed. */
  timeoutMs?: number;
}

/**
 * Finds the Keyhold provider.
 * @returns the provider, or `null` when Keyhold does not announce itself in time
 */
export function findKeyhold({ timeoutMs = 500 }: FindKeyholdOptions = {}): Promise<KeyholdProvider | null> {
  if (typeof window === 'undefined') return Promise.resolve(null);
  return new Promise((resolve) => {
    const done = (provider: KeyholdProvider | null) => {
      clearTimeout(timer);
      window.removeEventListener('eip6963:announceProvider', onAnnounce);
      resolve(provider);
    };
    const onAnnounce = (event: Event) => {
      const detail = (event as CustomEvent<{ info?: { rdns?: unknown }; provider?: KeyholdProvider }>).detail;
      if (detail?.info?.rdns === KEYHOLD_RDNS && detail.provider) done(detail.provider);
    };
    const timer = setTimeout(() => done(null), Math.max(0, timeoutMs));
    window.addEventListener('eip6963:announceProvider', onAnnounce);
    window.dispatchEvent(new Event('eip6963:requestProvider'));
  });
}
