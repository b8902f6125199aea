/**
 * The services Keyhold's own master (the vault) logged in to: the only services the popup may
 * list and revoke at with a master signature. A service that a page merely named (a session
 * whose login the page's own wallet signed, a pending one, a revocation owed) is not here, so a
 * page cannot make the master sign for a service of its choosing.
 *
 * Kept durably in the vault's settings record (`masterServices`), most recent login last,
 * bounded to {@link MAX_MASTER_SERVICES}: one more login drops the oldest.
 * @module
 */
import { parseServiceOrigin } from '../../src/protocol/page-params.js';
import type { WorkerDeps } from '../deps.js';
import { SerialLock } from '../platform/serial.js';

/** How many services are remembered; past it, the least recently logged-in one is dropped. */
export const MAX_MASTER_SERVICES = 64;

const isServiceOrigin = (v: unknown): v is string => {
  try {
    return parseServiceOrigin(v, 'baseUrl') === v;
  } catch {
    return false;
  }
};

/** One update at a time: two logins finishing together must not lose one of them. */
const updates = new SerialLock();

/**
 * Records that the vault's master logged in at `baseUrl` (after the service accepted the login).
 * @throws ProviderRpcError -32602 when `baseUrl` is not a service origin (https, or http on loopback)
 */
export function rememberMasterService(deps: WorkerDeps, baseUrl: string): Promise<void> {
  const origin = parseServiceOrigin(baseUrl, 'baseUrl');
  return updates.run(async () => {
    const list = (await masterServices(deps)).filter((u) => u !== origin);
    list.push(origin);
    await deps.vault.setSettings({ masterServices: list.slice(-MAX_MASTER_SERVICES) });
  });
}

/** The services the vault's master logged in to, least recent first; a damaged entry is skipped. */
export async function masterServices(deps: WorkerDeps): Promise<string[]> {
  const stored = (await deps.vault.settings()).masterServices;
  return Array.isArray(stored) ? [...new Set(stored.filter(isServiceOrigin))].slice(-MAX_MASTER_SERVICES) : [];
}
