/**
 * The canonical messages the master key `personal_sign`s for an API key (`spec/api-keys.md`):
 * one to create it, one to revoke it. Lines joined by "\n", no trailing newline; the address
 * and public key in lower-case hex. Pure.
 * @module
 */

export interface ApiKeyFields {
  /** 0x-prefixed 20-byte address (any case; written lower case). */
  address: string;
  /** 32-byte Ed25519 public key, 64 hex digits (any case; written lower case). */
  publicKeyHex: string;
  name: string;
}

export function apiKeyCreateMessage(f: ApiKeyFields & { validUntil: number }): string {
  return [
    'Keyhold API key: create',
    `Address: ${f.address.toLowerCase()}`,
    `Public key: ${f.publicKeyHex.toLowerCase()}`,
    `Name: ${f.name}`,
    `Valid until: ${f.validUntil}`,
  ].join('\n');
}

export function apiKeyRevokeMessage(f: ApiKeyFields): string {
  return [
    'Keyhold API key: revoke',
    `Address: ${f.address.toLowerCase()}`,
    `Public key: ${f.publicKeyHex.toLowerCase()}`,
    `Name: ${f.name}`,
  ].join('\n');
}
