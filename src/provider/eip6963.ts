/**
 * EIP-6963 multi-wallet discovery: announce at load, and again on every `requestProvider`.
 * @module
 */
import type { KeyholdProvider } from './provider.js';
import iconSvg from '../../assets/icon.svg';

export interface ProviderInfo {
  readonly uuid: string;
  readonly name: string;
  readonly icon: string;
  readonly rdns: string;
}

export const PROVIDER_NAME = 'Keyhold';
export const PROVIDER_RDNS = 'dev.keyhold';

/**
 * A version 4 UUID from `getRandomValues`: `crypto.randomUUID` exists only in secure contexts,
 * and a plain-http page must get its announcement too (it has `window.keyhold` anyway).
 */
function uuidV4(win: Window): string {
  const b = win.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function announce(win: Window, provider: KeyholdProvider): void {
  const info: ProviderInfo = Object.freeze({
    uuid: uuidV4(win),
    name: PROVIDER_NAME,
    icon: `data:image/svg+xml;base64,${btoa(iconSvg)}`,
    rdns: PROVIDER_RDNS,
  });
  const detail = Object.freeze({ info, provider });
  const dispatch = () => win.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
  win.addEventListener('eip6963:requestProvider', dispatch);
  dispatch();
}
