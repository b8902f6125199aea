/**
 * `POST /api/v1/passkeys/register`: the reference service's own simplified passkey
 * registration. It trusts the posted public key; a real service would verify a WebAuthn
 * attestation (navigator.credentials.create) instead.
 * @module
 */
import { createPublicKey } from 'node:crypto';
import { decodeBase64, encodeBase64, parseJsonObject } from '../../packages/verify/src/index.js';
import { badRequest } from '../errors.js';
import { ok, type Handler } from '../handler.js';

const FIELDS = ['credential_id', 'public_key_spki', 'rp_id', 'origin'];
const RP_ID = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

export const registerPasskey: Handler = (req) => {
  const json = parseJsonObject(req.body);
  for (const key of Object.keys(json)) {
    if (!FIELDS.includes(key)) throw badRequest('unexpected_field', `member "${key}" is not allowed`);
  }
  for (const key of FIELDS) if (!(key in json)) throw badRequest('missing_field', `member "${key}" is missing`);
  const credentialId = decodeBase64(json.credential_id, 'credential_id');
  if (credentialId.length < 1 || credentialId.length > 1023) {
    throw badRequest('bad_credential_id', 'credential_id must be 1..1023 bytes');
  }
  const spki = decodeBase64(json.public_key_spki, 'public_key_spki');
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw badRequest('bad_public_key', 'public_key_spki is not a DER SubjectPublicKeyInfo');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw badRequest('bad_public_key', 'public_key_spki must be a P-256 (ES256) key');
  }
  if (typeof json.rp_id !== 'string' || json.rp_id.length > 253 || !RP_ID.test(json.rp_id)) {
    throw badRequest('bad_rp_id', 'rp_id must be a lowercase host name');
  }
  const origin = json.origin;
  if (typeof origin !== 'string' || !isOrigin(origin)) {
    throw badRequest('bad_origin', "origin must be a serialized origin such as 'https://example.com'");
  }
  const credential = { credentialId: encodeBase64(credentialId), spki, rpId: json.rp_id, origin };
  req.state.addPasskey(credential);
  return ok({ credential_id: credential.credentialId, master_public_key: encodeBase64(spki) });
};

function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}
