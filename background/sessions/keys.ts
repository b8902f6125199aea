/**
 * Session key generation: WebCrypto Ed25519, private key non-extractable from birth.
 * @module
 */

export interface SessionKeyPair {
  privateKey: CryptoKey;
  /** Raw 32-byte public key. */
  publicKey: Uint8Array;
}

/**
 * Makes a fresh Ed25519 key pair whose private half can sign but can never be exported.
 * @throws DOMException when the browser lacks WebCrypto Ed25519.
 */
export async function generateSessionKey(): Promise<SessionKeyPair> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  // Public keys are always exportable; only the raw public bytes ever leave this function.
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey };
}
