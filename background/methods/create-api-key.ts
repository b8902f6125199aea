/**
 * `keyhold_createApiKey`: an Ed25519 API key bound to the calling origin, whose canonical create
 * message (`spec/api-keys.md`) the master key signs after the user approves. The page posts the
 * answer to its service and signs requests with the key through `keyhold_signRequest` and `id`.
 * @module
 */
import { invalidParams, unauthorized } from '../../src/protocol/errors.js';
import type { ApiKeyResult, CreateApiKeyParams } from '../../src/protocol/wallet-api.js';
import { MAX_API_KEY_DAYS } from '../../src/protocol/wallet-params.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { NO_VAULT_MESSAGE } from '../vault/vault.js';
import { awaitApproval } from '../approvals/await.js';
import { visibleAccounts } from '../wallet/connected.js';

export async function createApiKey(deps: WorkerDeps, p: CreateApiKeyParams, ctx: PageContext): Promise<ApiKeyResult> {
  const now = deps.now();
  if (p.validUntil <= now) throw invalidParams('validUntil must be in the future (ms since the epoch).');
  if (p.validUntil > now + MAX_API_KEY_DAYS * 86_400_000) throw invalidParams(`validUntil must be at most ${MAX_API_KEY_DAYS} days ahead.`);
  const status = await deps.vault.status();
  if (!status.exists) throw unauthorized(NO_VAULT_MESSAGE);
  // The account the site already sees, else the vault's first.
  const address = (await visibleAccounts(deps, ctx.origin))[0] ?? status.accounts[0]!.toLowerCase();
  const params = p.service ? { name: p.name, validUntil: p.validUntil, address, service: p.service } : { name: p.name, validUntil: p.validUntil, address };
  return awaitApproval(deps, ctx, 'createApiKey', params, 'The user rejected the API key request.');
}
