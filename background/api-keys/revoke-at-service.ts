/**
 * Revoking an API key at the service it was made for: the master that vouched for it signs the
 * canonical revoke message (`spec/api-keys.md`) and Keyhold posts it to
 * `baseUrl + "/api/v1/revokeApiKey"`, without the key (as the reference endpoint allows). The
 * key is deleted here only once the service confirmed (or says it never had it), so a revoke
 * that did not reach the service can be tried again: nothing changes on failure.
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { ErrorCode, ProviderRpcError, unauthorized } from '../../src/protocol/errors.js';
import type { SessionRecord } from '../db.js';
import type { WorkerDeps } from '../deps.js';
import { ServiceClient } from '../services/client.js';
import { member } from '../services/http.js';
import { personalSign, splitSignature } from '../vault/eth-sign.js';
import { apiKeyRevokeMessage } from '../wallet/api-key-message.js';
import { masterEntry } from '../audit/entries.js';

export const REVOKE_API_KEY_PATH = '/api/v1/revokeApiKey';

/**
 * @throws ProviderRpcError 4100 while the vault is locked or when the account left it; -32603
 *   when the service cannot be reached or refuses
 */
export async function revokeApiKeyAtService(deps: WorkerDeps, record: SessionRecord, baseUrl: string, address: string): Promise<void> {
  // Throws 4100 "Keyhold is locked…" while locked: the user unlocks and revokes again.
  const account = (await deps.vault.accounts()).find((a) => a.address.toLowerCase() === address);
  if (!account) throw unauthorized('The account that vouched for this API key is no longer in the vault, so it cannot sign the revocation.');
  const publicKey = bytesToHex(record.publicKey);
  const name = record.label ?? '';
  const message = apiKeyRevokeMessage({ address, publicKeyHex: publicKey, name });
  const signature = splitSignature(personalSign(new TextEncoder().encode(message), account.privateKey));
  deps.audit.record(masterEntry(record.origin, 'apiKey-revoke', account.address, deps.now(), { sessionId: record.id }));
  const answer = await new ServiceClient(deps.http, baseUrl).post(REVOKE_API_KEY_PATH, { address, publicKey, name, signature });
  // 404: the service never had the key (the page did not register it), so there is nothing to revoke there.
  if (answer.status === 200 || answer.status === 404) return;
  const code = member(answer.body, 'error', 'code');
  const why = typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? code : `HTTP ${answer.status}`;
  throw new ProviderRpcError(ErrorCode.Internal, `The service at ${baseUrl} did not revoke the API key (${why}); it is kept, so you can try again.`);
}
