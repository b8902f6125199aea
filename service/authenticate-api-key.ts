/**
 * Authenticates a request signed with an API key (Ed25519, signature type 1) that names itself
 * in the `X-API-Key` header (its 64-hex public key): the key must be registered, live and the
 * envelope's `public_key`; then the signature, auth window and replay checks of every signed
 * request (`spec/signing.md` §7). No device key: an API key is vouched for by its wallet.
 * @module
 */
import { checkAuthWindow } from './auth-window.js';
import type { SignedRequest } from './envelope.js';
import { claimRequestId } from './claim-request.js';
import { badRequest, unauthorized } from './errors.js';
import { SignatureType } from './payload.js';
import type { ApiKey, ServiceState } from './state.js';
import { assertEd25519Shapes, verifyEd25519 } from './verify/ed25519.js';

/**
 * @throws ServiceError 400 `wrong_request_type`, `wrong_signature_type`, `bad_api_key_header`,
 *   shape errors; 401 `unknown_api_key`, `api_key_revoked`, `api_key_expired`,
 *   `api_key_mismatch`, `bad_signature`, auth window errors; 409 `replayed_request`; 503
 *   `replay_store_unavailable`
 */
export async function authenticateApiKey(req: SignedRequest, requestType: number, header: string, state: ServiceState, nowMs: number): Promise<ApiKey> {
  const p = req.payload;
  if (p.requestType !== requestType) throw badRequest('wrong_request_type', `this endpoint takes request_type ${requestType}, got ${p.requestType}`);
  if (p.signatureType !== SignatureType.Ed25519) throw badRequest('wrong_signature_type', `an API key signs with signature_type 1, got ${p.signatureType}`);
  if (!/^[0-9a-fA-F]{64}$/.test(header)) throw badRequest('bad_api_key_header', 'X-API-Key must be the API key\'s 64-hex public key');
  const key = state.apiKeys.get(header.toLowerCase());
  if (key === undefined) throw unauthorized('unknown_api_key', 'no API key has this public key');
  if (key.revokedAtMs !== null) throw unauthorized('api_key_revoked', 'this API key is revoked');
  if (nowMs >= key.validUntilMs) throw unauthorized('api_key_expired', 'this API key has expired');
  const publicKey = assertEd25519Shapes(req.publicKey, req.signature);
  if (Buffer.from(publicKey).toString('hex') !== key.publicKeyHex) throw unauthorized('api_key_mismatch', 'public_key is not the key named by X-API-Key');
  if (!verifyEd25519(p.bytes, publicKey, req.signature)) throw unauthorized('bad_signature', 'Ed25519 signature does not verify');
  checkAuthWindow(p, nowMs);
  await claimRequestId(state, p, nowMs);
  return key;
}
