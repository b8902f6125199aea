/**
 * `POST /api/v1/login`: a master (secp256k1 or passkey) registers a session key by signing the
 * bound login message (`spec/signing.md` §8). `@keyhold/verify` accepts it only when this
 * service is the message's audience, serves the message's site, the auth window holds, the
 * signature is the named account's (or the passkey's, from that site), and the nonce is new
 * (see keyhold-verify.ts). Answers a fresh device key and the session row — under the id the
 * login proposes, or under the service's own when it assigns ids (`assignSessionIds`).
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ok, type Handler } from '../handler.js';
import { verifyServiceLogin } from '../keyhold-verify.js';
import { sessionRow } from '../rows.js';

export const login: Handler = async (req) => {
  const { state, nowMs } = req;
  const login = await verifyServiceLogin(req);
  const session = {
    id: state.assignSessionIds ? randomUUID() : login.sessionId,
    publicKey: login.publicKeyBase64,
    role: login.role,
    masterPublicKey: login.master.publicKeyBase64,
    subaccountIndex: login.subaccountIndex,
    createdAtMs: nowMs,
    validUntilMs: login.validUntilMs,
    revoked: false,
    deviceKey: randomBytes(32).toString('base64'),
  };
  state.addSession(session);
  return ok({ device_key: session.deviceKey, session: sessionRow(session) });
};
