/**
 * The master's session endpoints: `POST /api/v1/auth/sessions/list` (ListSessions, 47) and
 * `POST /api/v1/auth/sessions/revoke` (RevokeSession, 14, naming any of the master's sessions).
 * Both bodies name their audience; a call meant for another service is refused, so a service that
 * was handed a master's signature cannot relay it here.
 * @module
 */
import { uuidText } from '../../packages/verify/src/index.js';
import { RequestType, parseListSessions, parseMasterRevokeSession, type Scope } from '../bodies.js';
import { notFound, unauthorized } from '../errors.js';
import { ok, type Handler, type HandlerRequest } from '../handler.js';
import { authenticateMasterRequest } from '../keyhold-verify.js';
import { sessionRow } from '../rows.js';

/** The master's key (standard base64) and the signed body, verified by `@keyhold/verify`. */
async function asMaster(req: HandlerRequest, requestType: number): Promise<{ master: string; body: Uint8Array }> {
  const signed = await authenticateMasterRequest(req, requestType);
  return { master: signed.signer.publicKeyBase64, body: signed.body };
}

/** @throws ServiceError 401 `wrong_audience` unless the call is for one of this service's own origins */
function forThisService(req: HandlerRequest, scope: Scope): void {
  if (!req.state.origins.has(scope.audience)) {
    throw unauthorized('wrong_audience', `this request is for ${scope.audience}; this service is ${[...req.state.origins].join(' or ')}`);
  }
}

export const listSessions: Handler = async (req) => {
  const { master, body } = await asMaster(req, RequestType.ListSessions);
  forThisService(req, parseListSessions(body));
  return ok(req.state.liveSessionsOf(master, req.nowMs).map(sessionRow));
};

export const revokeSession: Handler = async (req) => {
  const { master, body } = await asMaster(req, RequestType.RevokeSession);
  const revoke = parseMasterRevokeSession(body);
  forThisService(req, revoke);
  const id = uuidText(revoke.sessionId);
  const session = req.state.sessions.get(id);
  if (session === undefined || session.masterPublicKey !== master) {
    throw notFound('session_not_found', `session ${id} is not a session of this master`);
  }
  req.state.revoke(session);
  return ok({ session_revoked: true });
};
