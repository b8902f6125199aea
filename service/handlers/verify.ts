/**
 * `POST /api/v1/verify`: for client developers. Authenticates a request of any request type,
 * signed by any scheme, exactly as the other endpoints do (session, device key, signature,
 * window, replay), and answers what it decoded. The body is not interpreted.
 * @module
 */
import { authenticate } from '../authenticate.js';
import { encodeBase64 } from '../base64.js';
import { authContextOf, ok, signedRequestOf, type Handler } from '../handler.js';
import { uuidText } from '../payload.js';

export const verifyRequest: Handler = async (req) => {
  const signed = signedRequestOf(req);
  const signer = await authenticate(signed, { requestType: null, signer: 'any', deviceKey: 'required' }, authContextOf(req));
  const p = signed.payload;
  return ok({
    signer: signer.kind,
    session_id: signer.kind === 'session' ? signer.session.id : null,
    master_public_key: signer.kind === 'session' ? signer.session.masterPublicKey : signer.masterPublicKey,
    signature_type: p.signatureType,
    request_type: p.requestType,
    request_id: uuidText(p.requestId),
    body: encodeBase64(p.body),
    issued_at_ms: p.issuedAtMs,
    expires_at_ms: p.expiresAtMs,
  });
};
