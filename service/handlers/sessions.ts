/**
 * The master's session endpoints: `POST /api/v1/auth/sessions/list` (ListSessions, 47) and
 * `POST /api/v1/auth/sessions/revoke` (RevokeSession, 14, naming any of the master's sessions).
 * Both bodies name their audience; a call meant for another service is refused, so a service that
 * was handed a master's signature cannot relay it here.
 * @module
 */
import { authenticateMaster } from '../authenticate.js';
import { RequestType, parseListSessions, parseMasterRevokeSession, type Scope } from '../bodies.js';
import { notFound, unauthorized } from '../errors.js';
import { authContextOf, ok, signedRequestOf, type Handler, type HandlerRequest } from '../handler.js';
import { uuidText, type Payload } from '../payload.js';
import { sessionRow } from '../rows.js';

async function asMaster(req: HandlerRequest, requestType: number): Promise<{ master: string; payload: Payload }> {
  const signed = signedRequestOf(req);
  return { master: await authenticateMaster(signed, requestType, authContextOf(req)), payload: signed.payload };
}

/** @throws ServiceError 401 `wrong_audience` unless the call is for one of this service's own origins */
function forThisService(req: HandlerRequest, scope: Scope): void {
  if (!req.state.origins.has(scope.audience)) {
    throw unauthorized('wrong_audience', `this request is for ${scope.audience}; this service is ${[...req.state.origins].join(' or ')}`);
  }
}

export const listSessions: Handler = async (req) => {
  const { master, payload } = await asMaster(req, RequestType.ListSessions);
  forThisService(req, parseListSessions(payload.body));
  return ok(req.state.liveSessionsOf(master, req.nowMs).map(sessionRow));
};

export const revokeSession: Handler = async (req) => {
  const { master, payload } = await asMaster(req, RequestType.RevokeSession);
  const body = parseMasterRevokeSession(payload.body);
  forThisService(req, body);
  const id = uuidText(body.sessionId);
  const session = req.state.sessions.get(id);
  if (session === undefined || session.masterPublicKey !== master) {
    throw notFound('session_not_found', `session ${id} is not a session of this master`);
  }
  req.state.revoke(session);
  return ok({ session_revoked: true });
};
