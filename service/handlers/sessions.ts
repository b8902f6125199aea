/**
 * The master's session endpoints: `POST /api/v1/auth/sessions/list` (ListSessions, 47) and
 * `POST /api/v1/auth/sessions/revoke` (RevokeSession, 14, naming any of the master's sessions).
 * @module
 */
import { authenticateMaster } from '../authenticate.js';
import { RequestType, parseListSessions, parseRevokeSession } from '../bodies.js';
import { notFound } from '../errors.js';
import { authContextOf, ok, signedRequestOf, type Handler, type HandlerRequest } from '../handler.js';
import { uuidText, type Payload } from '../payload.js';
import { sessionRow } from '../rows.js';

function asMaster(req: HandlerRequest, requestType: number): { master: string; payload: Payload } {
  const signed = signedRequestOf(req);
  return { master: authenticateMaster(signed, requestType, authContextOf(req)), payload: signed.payload };
}

export const listSessions: Handler = (req) => {
  const { master, payload } = asMaster(req, RequestType.ListSessions);
  parseListSessions(payload.body);
  return ok(req.state.liveSessionsOf(master, req.nowMs).map(sessionRow));
};

export const revokeSession: Handler = (req) => {
  const { master, payload } = asMaster(req, RequestType.RevokeSession);
  const id = uuidText(parseRevokeSession(payload.body).sessionId);
  const session = req.state.sessions.get(id);
  if (session === undefined || session.masterPublicKey !== master) {
    throw notFound('session_not_found', `session ${id} is not a session of this master`);
  }
  req.state.revoke(session);
  return ok({ session_revoked: true });
};
