/**
 * `accountsChanged` on lock and unlock, as dapps expect from MetaMask: while the vault is
 * locked a connected site sees no accounts (`eth_accounts` answers []), so locking tells each
 * connected site's pages `[]` and unlocking tells them their accounts again. The site's
 * permission is untouched: signing while locked still opens the window, which asks to unlock.
 * @module
 */
import type { WorkerDeps } from '../deps.js';
import { visibleAccounts } from './connected.js';
import { logAt } from '../platform/log.js';

/** What a connected site sees now: its accounts while unlocked, [] while locked. */
export async function accountsNow(deps: WorkerDeps, origin: string): Promise<string[]> {
  return (await deps.vault.isUnlocked()) ? visibleAccounts(deps, origin) : [];
}

/** Tells every connected site's pages what they see after a lock or unlock, once per change. */
export function lockAnnouncer(deps: () => WorkerDeps): () => void {
  let last: boolean | undefined;
  return () => {
    void (async () => {
      const d = deps();
      const unlocked = await d.vault.isUnlocked();
      // The vault also reports account changes; only a lock or an unlock is announced here.
      if (unlocked === last) return;
      last = unlocked;
      for (const p of await d.permissions.list()) {
        d.pushToSite(p.origin, [{ event: 'accountsChanged', data: unlocked ? await visibleAccounts(d, p.origin) : [] }]);
      }
    })().catch(logAt('lock announcement'));
  };
}
