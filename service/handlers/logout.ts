/**
 * `POST /api/v1/logout`: a session key revokes itself with a RevokeSession (14) payload naming
 * its own id; the device key is deleted when the request presents it. Verified by
 * `@keyhold/verify` (see keyhold-verify.ts).
 * @module
 */
import { RequestType, parseRevokeSession } from '../bodies.js';
import { forbidden } from '../errors.js';
import { ok, type Handler } from '../handler.js';
import { uuidText } from '../../packages/verify/src/index.js';
import { authenticateSessionRequest } from '../keyhold-verify.js';

export const logout: Handler = async (req) => {
  const signed = await authenticateSessionRequest(req, RequestType.RevokeSession, 'optional');
  const { session, deviceKeyMatches } = signed.context;
  const { sessionId } = parseRevokeSession(signed.body);
  if (uuidText(sessionId) !== session.id) {
    throw forbidden('not_own_session', 'a session key may log out only its own session; the master revokes others');
  }
  req.state.revoke(session);
  return ok({ session_revoked: true, device_key_deleted: deviceKeyMatches });
};
