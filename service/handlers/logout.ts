/**
 * `POST /api/v1/logout`: a session key revokes itself with a RevokeSession (14) payload naming
 * its own id; the device key is deleted when the request presents it.
 * @module
 */
import { authenticateSession } from '../authenticate.js';
import { RequestType, parseRevokeSession } from '../bodies.js';
import { forbidden } from '../errors.js';
import { authContextOf, ok, signedRequestOf, type Handler } from '../handler.js';
import { uuidText } from '../payload.js';

export const logout: Handler = (req) => {
  const signed = signedRequestOf(req);
  const signer = authenticateSession(signed, RequestType.RevokeSession, 'optional', authContextOf(req));
  const { sessionId } = parseRevokeSession(signed.payload.body);
  if (uuidText(sessionId) !== signer.session.id) {
    throw forbidden('not_own_session', 'a session key may log out only its own session; the master revokes others');
  }
  req.state.revoke(signer.session);
  return ok({ session_revoked: true, device_key_deleted: signer.deviceKeyMatches });
};
