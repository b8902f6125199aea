/**
 * Deciding, before the approval window opens, who will sign a service session's login and what
 * the window must say about it: the account, the service and the site, and whether the service
 * belongs to another party than the site (a second, deliberate confirmation, enforced by the
 * worker when the user approves).
 * @module
 */
import { addr } from 'micro-eth-signer';
import type { LoginConsent } from '../../src/protocol/extension-rpc.js';
import { invalidParams } from '../../src/protocol/errors.js';
import type { ServiceParams } from '../../src/protocol/page-api.js';
import { hostParts, originDomain } from '../../src/sites/registrable-domain.js';
import type { WorkerDeps } from '../deps.js';

/** What the window says of a login, and who signs it. */
export async function planLogin(deps: Pick<WorkerDeps, 'vault' | 'permissions'>, service: ServiceParams, site: string): Promise<LoginConsent> {
  const siteHost = hostParts(new URL(site).hostname);
  const serviceHost = hostParts(new URL(service.baseUrl).hostname);
  const base = {
    site,
    service: service.baseUrl,
    siteHost,
    serviceHost,
    crossSite: originDomain(site) !== originDomain(service.baseUrl),
  };
  if (service.master === 'passkey') return { ...base, signer: 'page', account: null };
  // Accounts are known while the vault is locked; the window asks to unlock before approving.
  const { accounts } = await deps.vault.status();
  if (service.address !== undefined) {
    const own = accounts.find((a) => a.toLowerCase() === service.address);
    return own ? { ...base, signer: 'vault', account: own } : { ...base, signer: 'page', account: addr.addChecksum(service.address) };
  }
  const connected = (await deps.permissions.get(site))?.accounts[0]?.toLowerCase();
  const account = accounts.find((a) => a.toLowerCase() === connected) ?? accounts[0] ?? null;
  return { ...base, signer: 'vault', account };
}

/** The user's approval is complete for this login: the second confirmation when it crosses sites. */
export function checkLoginConsent(login: LoginConsent, acknowledged: boolean): void {
  if (login.crossSite && !acknowledged) {
    throw invalidParams(
      `The service ${login.service} is not part of ${login.site}: approving needs the second confirmation that you trust this site to use your account there.`,
    );
  }
}
