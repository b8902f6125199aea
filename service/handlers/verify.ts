/**
 * `POST /api/v1/verify`: for client developers. Authenticates a request of any request type,
 * signed by any scheme, exactly as the other endpoints do (session, device key, signature,
 * window, replay), and answers what it decoded. The body is not interpreted. Verified by
 * `@keyhold/verify` (see keyhold-verify.ts).
 * @module
 */
import { encodeBase64 } from '../../packages/verify/src/index.js';
import { ok, type Handler } from '../handler.js';
import { authenticateAnyRequest } from '../keyhold-verify.js';

export const verifyRequest: Handler = async (req) => {
  const v = await authenticateAnyRequest(req);
  const session = v.context;
  return ok({
    signer: v.signer.kind,
    session_id: session ? session.id : null,
    master_public_key: session ? session.masterPublicKey : v.signer.publicKeyBase64,
    signature_type: v.signatureType,
    request_type: v.requestType,
    request_id: v.requestId,
    body: encodeBase64(v.body),
    issued_at_ms: v.issuedAtMs,
    expires_at_ms: v.expiresAtMs,
  });
};
