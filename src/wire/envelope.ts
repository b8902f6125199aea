/**
 * The JSON envelope (`spec/signing.md` §6.1): the text transport of a signed payload, beside the
 * binary frame of `payload.ts` (`encodeFrame`). Every member is canonical standard base64 of the
 * bytes, in the spec's order, so `JSON.stringify` of an envelope is the same text wherever
 * Keyhold builds it: a session's signature for a page, a request to a service, a master's login.
 *
 * The session envelope is on the hot signing path: one object, two or three base64 encodings,
 * nothing else allocated.
 * @module
 */
import { toBase64 } from '../encoding/base64.js';

/** The envelope of signature types 1 and 2, each member standard base64. */
export interface JsonEnvelope {
  payload: string;
  public_key: string;
  signature: string;
}

/**
 * The envelope of a passkey (type 3) signature. It names the credential instead of a key (the
 * service knows the credential's key), so `public_key` is left out.
 */
export interface PasskeyEnvelope {
  payload: string;
  signature: string;
  authenticator_data: string;
  client_data_json: string;
  credential_id: string;
}

/** What a master's login or call travels in: a secp256k1 or a passkey envelope. */
export type MasterEnvelope = JsonEnvelope | PasskeyEnvelope;

/** The parts of a WebAuthn assertion a passkey envelope carries besides the payload. */
export interface PasskeyAssertionParts {
  /** The assertion's DER ECDSA signature. */
  signature: Uint8Array;
  authenticatorData: Uint8Array;
  clientDataJSON: Uint8Array;
  credentialId: Uint8Array;
}

/**
 * The JSON envelope of a signed payload.
 * @param payload - the payload exactly as signed
 * @param publicKey - the signer's public key, or its base64 when the caller already holds it (a
 *   session keeps its key's base64, so the signing path encodes only what changes)
 * @param signature - the signature over `payload`
 * @throws TypeError if `payload`, `signature` or a byte `publicKey` is not a Uint8Array
 */
export function encodeEnvelope(payload: Uint8Array, publicKey: Uint8Array | string, signature: Uint8Array): JsonEnvelope {
  return {
    payload: toBase64(payload),
    public_key: typeof publicKey === 'string' ? publicKey : toBase64(publicKey),
    signature: toBase64(signature),
  };
}

/**
 * The JSON envelope of a passkey's assertion over `payload` (`spec/signing.md` §4.3, §6.1).
 * @throws TypeError if `payload` or a part of `assertion` is not a Uint8Array
 */
export function encodePasskeyEnvelope(payload: Uint8Array, assertion: PasskeyAssertionParts): PasskeyEnvelope {
  return {
    payload: toBase64(payload),
    signature: toBase64(assertion.signature),
    authenticator_data: toBase64(assertion.authenticatorData),
    client_data_json: toBase64(assertion.clientDataJSON),
    credential_id: toBase64(assertion.credentialId),
  };
}
