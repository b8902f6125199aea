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

export function announce(win: Window, provider: KeyholdProvider): void {
  const info: ProviderInfo = Object.freeze({
    uuid: win.crypto.randomUUID(),
    name: PROVIDER_NAME,
    icon: `data:image/svg+xml;base64,${btoa(iconSvg)}`,
    rdns: PROVIDER_RDNS,
  });
  const detail = Object.freeze({ info, provider });
  const dispatch = () => win.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
  win.addEventListener('eip6963:requestProvider', dispatch);
  dispatch();
}
