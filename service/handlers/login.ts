/**
 * `POST /api/v1/login`: a master (secp256k1 or passkey) registers a session key with a
 * CreateSession (0x8001) payload; answers a fresh device key and the session row.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { authenticateMaster } from '../authenticate.js';
import { encodeBase64 } from '../base64.js';
import { RequestType, parseCreateSession } from '../bodies.js';
import { badRequest } from '../errors.js';
import { authContextOf, ok, signedRequestOf, type Handler } from '../handler.js';
import { uuidText } from '../payload.js';
import { sessionRow } from '../rows.js';

export const login: Handler = (req) => {
  const signed = signedRequestOf(req);
  const master = authenticateMaster(signed, RequestType.CreateSession, authContextOf(req));
  const body = parseCreateSession(signed.payload.body);
  if (body.validUntilMs <= req.nowMs) {
    throw badRequest('session_already_expired', 'CreateSession valid_until_ms is not in the future');
  }
  const session = {
    id: uuidText(body.sessionId),
    publicKey: encodeBase64(body.publicKey),
    role: body.role,
    masterPublicKey: master,
    subaccountIndex: body.subaccountIndex,
    createdAtMs: req.nowMs,
    validUntilMs: body.validUntilMs,
    revoked: false,
    deviceKey: encodeBase64(randomBytes(32)),
  };
  req.state.addSession(session);
  return ok({ device_key: session.deviceKey, session: sessionRow(session) });
};
