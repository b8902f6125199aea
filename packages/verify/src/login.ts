/**
 * Verifying a login (`POST /login` of a service): the bound login message signed by the
 * account's master. Accepted only when this service is its audience, it serves the message's
 * site, the auth window holds, the signature is the named account's (or a passkey registered
 * for that site), and the nonce is new (claimed in the verifier's {@link ReplayGuard}, so a
 * login is single-use across every instance that shares the store).
 * @module
 */
import { decodeBase64, encodeBase64 } from './base64.js';
import { VerifyError, badRequest, unauthorized } from './errors.js';
import { parseLoginMessage, type LoginMessage } from './login-message.js';
import { verifyPasskey } from './passkey.js';
import { assertSecp256k1Shapes, ethereumAddress, verifySecp256k1 } from './secp256k1.js';
import { mediaType, parseJsonObject } from './transport.js';
import type { Signer, Verifier } from './verifier.js';
import { checkAuthWindow } from './window.js';

/** Who may log in here. */
export interface LoginPolicy {
  /** This service's origin(s): a login naming another audience is refused (401 `wrong_audience`). */
  audience: string | readonly string[];
  /** The sites (origins) whose pages may log in here, or a check (401 `site_not_served`). */
  sites: readonly string[] | ((site: string) => boolean | Promise<boolean>);
}

/**
 * A verified login: the session to register (the message's terms: `sessionId` is the id Keyhold
 * proposes, a UUIDv7, which a service may replace with its own; `publicKey` the session's raw
 * 32-byte Ed25519 key), and the master that signed it.
 */
export interface VerifiedLogin
  extends Pick<LoginMessage, 'site' | 'audience' | 'sessionId' | 'publicKey' | 'role' | 'subaccountIndex' | 'requestTypes' | 'validUntilMs' | 'nonce' | 'issuedAtMs' | 'expiresAtMs'> {
  publicKeyBase64: string;
  /** The message the user signed, as text. */
  message: string;
  /** The master (secp256k1 with its address, or the passkey). */
  master: Extract<Signer, { kind: 'master' }>;
}

const SECP_FIELDS = ['payload', 'public_key', 'signature'];
const PASSKEY_FIELDS = ['payload', 'public_key', 'signature', 'authenticator_data', 'client_data_json', 'credential_id'];

function members(json: Record<string, unknown>, allowed: string[], required: string[]): void {
  for (const key of Object.keys(json)) if (!allowed.includes(key)) throw badRequest('unexpected_field', `login member "${key}" is not allowed`);
  for (const key of required) if (!(key in json)) throw badRequest('missing_field', `login member "${key}" is missing`);
}

async function verifyMaster(verifier: Verifier, json: Record<string, unknown>, m: LoginMessage): Promise<VerifiedLogin['master']> {
  const signature = decodeBase64(json.signature, 'signature');
  if (m.kind === 'secp256k1') {
    members(json, SECP_FIELDS, SECP_FIELDS);
    const publicKey = assertSecp256k1Shapes(decodeBase64(json.public_key, 'public_key'), signature);
    if (!verifySecp256k1(m.bytes, publicKey, signature)) throw unauthorized('bad_signature', 'secp256k1 signature does not recover to public_key (or has high s)');
    const address = ethereumAddress(publicKey);
    if (address !== m.address?.toLowerCase()) throw unauthorized('address_mismatch', 'the login was signed by another account than the one it names');
    return { kind: 'master', scheme: 'secp256k1', publicKey, publicKeyBase64: encodeBase64(publicKey), address };
  }
  members(json, PASSKEY_FIELDS, PASSKEY_FIELDS.filter((k) => k !== 'public_key'));
  const credentialId = decodeBase64(json.credential_id, 'credential_id');
  const id = encodeBase64(credentialId);
  const credential = verifier.passkeys ? await verifier.passkeys(id) : undefined;
  if (!credential) throw unauthorized('unknown_credential', 'no passkey with this credential_id is registered');
  // The WebAuthn origin binds the site: a passkey used from another origin signs for that origin.
  if (credential.origin !== m.site) throw unauthorized('wrong_site', `this passkey belongs to ${credential.origin}, not to ${m.site}`);
  await verifyPasskey(
    m.bytes,
    {
      authenticatorData: decodeBase64(json.authenticator_data, 'authenticator_data'),
      clientDataJson: decodeBase64(json.client_data_json, 'client_data_json'),
      credentialId,
      signature,
      publicKey: 'public_key' in json ? decodeBase64(json.public_key, 'public_key') : null,
    },
    credential,
  );
  return { kind: 'master', scheme: 'passkey', publicKey: credential.publicKeySpki, publicKeyBase64: encodeBase64(credential.publicKeySpki), credentialId: id };
}

/**
 * Verifies a login body (`application/json`: `{payload, public_key, signature}` or the passkey
 * envelope, `payload` the message's UTF-8 bytes in standard base64).
 * @throws VerifyError 415 not JSON; 400 `bad_login_message` and envelope errors,
 *   `session_already_expired`; 401 `wrong_audience`, `site_not_served`, auth window errors,
 *   `bad_signature`, `address_mismatch`, `unknown_credential`, `wrong_site`, passkey errors;
 *   409 `replayed_login` (the nonce was used); 503 when the replay store fails
 */
export async function verifyLogin(verifier: Verifier, contentType: string | null | undefined, body: Uint8Array, policy: LoginPolicy): Promise<VerifiedLogin> {
  if (body.length > verifier.maxBodyBytes) throw new VerifyError(413, 'body_too_large', `request body exceeds ${verifier.maxBodyBytes} bytes`);
  const type = mediaType(contentType);
  if (type !== 'application/json') throw new VerifyError(415, 'unsupported_media_type', `a login is application/json, got '${type}'`);
  const json = parseJsonObject(body);
  if (!('payload' in json)) throw badRequest('missing_field', 'login member "payload" is missing');
  const m = parseLoginMessage(decodeBase64(json.payload, 'payload'));
  const audiences = typeof policy.audience === 'string' ? [policy.audience] : policy.audience;
  if (!audiences.includes(m.audience)) throw unauthorized('wrong_audience', `this login is for ${m.audience}, not for this service`);
  const served = typeof policy.sites === 'function' ? await policy.sites(m.site) : policy.sites.includes(m.site);
  if (!served) throw unauthorized('site_not_served', `this service does not serve ${m.site}`);
  const now = verifier.clock();
  checkAuthWindow(m, now, verifier.clockSkew);
  const master = await verifyMaster(verifier, json, m);
  let first: boolean;
  try {
    first = await verifier.replayGuard.claim(`login-nonce:${m.nonce}`, m.expiresAtMs + verifier.clockSkew.behindMs, now);
  } catch (err) {
    if (err instanceof VerifyError) throw err;
    throw new VerifyError(503, 'replay_store_unavailable', 'the replay store did not answer; try again');
  }
  if (!first) throw new VerifyError(409, 'replayed_login', 'this login nonce was already used');
  if (m.validUntilMs <= now) throw badRequest('session_already_expired', "the session's validUntilMs is not in the future");
  return {
    site: m.site,
    audience: m.audience,
    sessionId: m.sessionId,
    publicKey: m.publicKey,
    publicKeyBase64: encodeBase64(m.publicKey),
    role: m.role,
    subaccountIndex: m.subaccountIndex,
    requestTypes: m.requestTypes,
    validUntilMs: m.validUntilMs,
    nonce: m.nonce,
    issuedAtMs: m.issuedAtMs,
    expiresAtMs: m.expiresAtMs,
    message: new TextDecoder().decode(m.bytes),
    master,
  };
}
