/**
 * Authenticates a decoded signed request for an endpoint, in the order of `spec/signing.md` §7:
 * request and signature type for the endpoint (400), key shapes (400), the key (session or
 * master, 401), device key (401), signature (401), auth window (401), replay (409). The body is
 * decoded afterwards by the handler.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { checkAuthWindow } from './auth-window.js';
import { encodeBase64 } from './base64.js';
import type { SignedRequest } from './envelope.js';
import { claimRequestId } from './claim-request.js';
import { badRequest, unauthorized } from './errors.js';
import { SignatureType } from './payload.js';
import type { ServiceState, Session } from './state.js';
import { assertEd25519Shapes, verifyEd25519 } from './verify/ed25519.js';
import { verifyPasskey } from './verify/passkey.js';
import { assertSecp256k1Shapes, verifySecp256k1 } from './verify/secp256k1.js';

/** Who may sign for an endpoint, and what. */
export interface AuthRule {
  /** the endpoint's request_type; null accepts any */
  requestType: number | null;
  /** 'session': Ed25519 session key (type 1); 'master': secp256k1 or passkey (2, 3); 'any' */
  signer: 'session' | 'master' | 'any';
  /** whether a session-signed request must present its session's X-DEVICE-KEY */
  deviceKey: 'required' | 'optional';
}

/** The authenticated signer. */
export type Signer =
  | { kind: 'master'; masterPublicKey: string }
  | { kind: 'session'; session: Session; deviceKeyMatches: boolean };

export interface AuthContext {
  state: ServiceState;
  nowMs: number;
  /** the X-DEVICE-KEY header, if sent */
  deviceKey: string | undefined;
}

const SIGNERS: Record<AuthRule['signer'], readonly number[]> = {
  session: [SignatureType.Ed25519],
  master: [SignatureType.Secp256k1, SignatureType.Passkey],
  any: [SignatureType.Ed25519, SignatureType.Secp256k1, SignatureType.Passkey],
};

/**
 * Authenticates `req` under `rule`, and records its request id.
 * @throws ServiceError 400 `wrong_request_type`, `wrong_signature_type`, key/signature shape
 *   errors; 401 `unknown_session`, `session_revoked`, `session_expired`, `device_key_missing`,
 *   `device_key_invalid`, `unknown_credential`, passkey errors, `bad_signature`, auth window
 *   errors; 409 `replayed_request`; 503 `replay_store_unavailable`
 */
export async function authenticate(req: SignedRequest, rule: AuthRule, ctx: AuthContext): Promise<Signer> {
  const p = req.payload;
  if (rule.requestType !== null && p.requestType !== rule.requestType) {
    throw badRequest('wrong_request_type', `this endpoint takes request_type ${rule.requestType}, got ${p.requestType}`);
  }
  if (!SIGNERS[rule.signer].includes(p.signatureType)) {
    throw badRequest(
      'wrong_signature_type',
      `this endpoint takes signature_type ${SIGNERS[rule.signer].join(' or ')}, got ${p.signatureType}`,
    );
  }
  const signer = verifySigner(req, rule, ctx);
  checkAuthWindow(p, ctx.nowMs);
  await claimRequestId(ctx.state, p, ctx.nowMs);
  return signer;
}

function verifySigner(req: SignedRequest, rule: AuthRule, ctx: AuthContext): Signer {
  const p = req.payload;
  if (p.signatureType === SignatureType.Ed25519) {
    const publicKey = assertEd25519Shapes(req.publicKey, req.signature);
    const session = liveSession(ctx, encodeBase64(publicKey));
    const deviceKeyMatches = sameSecret(ctx.deviceKey, session.deviceKey);
    if (rule.deviceKey === 'required' && !deviceKeyMatches) {
      throw ctx.deviceKey === undefined
        ? unauthorized('device_key_missing', 'this endpoint needs the X-DEVICE-KEY header issued at login')
        : unauthorized('device_key_invalid', "X-DEVICE-KEY is not this session's device key");
    }
    if (!verifyEd25519(p.bytes, publicKey, req.signature)) {
      throw unauthorized('bad_signature', 'Ed25519 signature does not verify');
    }
    return { kind: 'session', session, deviceKeyMatches };
  }
  if (p.signatureType === SignatureType.Secp256k1) {
    const publicKey = assertSecp256k1Shapes(req.publicKey, req.signature);
    if (!verifySecp256k1(p.bytes, publicKey, req.signature)) {
      throw unauthorized('bad_signature', 'secp256k1 signature does not recover to public_key (or has high s)');
    }
    return { kind: 'master', masterPublicKey: encodeBase64(publicKey) };
  }
  const assertion = req.assertion!;
  const credential = ctx.state.passkeys.get(encodeBase64(assertion.credentialId));
  if (credential === undefined) {
    throw unauthorized('unknown_credential', 'no passkey with this credential_id is registered');
  }
  verifyPasskey(p.bytes, { ...assertion, signature: req.signature, publicKey: req.publicKey }, credential);
  return { kind: 'master', masterPublicKey: encodeBase64(credential.spki) };
}

/** The live session with this public key. @throws ServiceError 401 `unknown_session`, `session_revoked`, `session_expired` */
export function liveSession(ctx: Pick<AuthContext, 'state' | 'nowMs'>, publicKey: string): Session {
  const session = ctx.state.sessionByPublicKey(publicKey);
  if (session === undefined) throw unauthorized('unknown_session', 'no session has this public_key');
  if (session.revoked) throw unauthorized('session_revoked', `session ${session.id} is revoked`);
  if (ctx.nowMs >= session.validUntilMs) throw unauthorized('session_expired', `session ${session.id} has expired`);
  return session;
}

/** Whether the presented device key is the expected one, compared in constant time. */
export function sameSecret(presented: string | undefined, expected: string | null): boolean {
  if (presented === undefined || expected === null) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * {@link authenticate} for endpoints signed by the master (secp256k1 or passkey).
 * @returns the master's public key, standard base64
 */
export async function authenticateMaster(req: SignedRequest, requestType: number, ctx: AuthContext): Promise<string> {
  const signer = await authenticate(req, { requestType, signer: 'master', deviceKey: 'optional' }, ctx);
  return (signer as Extract<Signer, { kind: 'master' }>).masterPublicKey;
}

/** {@link authenticate} for endpoints signed by a session key. */
export function authenticateSession(
  req: SignedRequest,
  requestType: number,
  deviceKey: AuthRule['deviceKey'],
  ctx: AuthContext,
): Promise<{ session: Session; deviceKeyMatches: boolean }> {
  return authenticate(req, { requestType, signer: 'session', deviceKey }, ctx) as Promise<Extract<Signer, { kind: 'session' }>>;
}
