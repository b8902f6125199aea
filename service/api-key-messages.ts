/**
 * The canonical messages an API key's owner `personal_sign`s (`spec/api-keys.md`), written here
 * again from the spec rather than imported from the extension, so the service checks the spec
 * and not Keyhold's own reading of it. Lines joined by "\n", no trailing newline.
 * @module
 */

export interface ApiKeyMessageFields {
  /** 0x + 40 hex digits, any case (written lower case) */
  address: string;
  /** 64 hex digits, any case (written lower case) */
  publicKeyHex: string;
  name: string;
}

export const createMessage = (f: ApiKeyMessageFields & { validUntil: number }): string =>
  `Keyhold API key: create\nAddress: ${f.address.toLowerCase()}\nPublic key: ${f.publicKeyHex.toLowerCase()}\nName: ${f.name}\nValid until: ${f.validUntil}`;

export const revokeMessage = (f: ApiKeyMessageFields): string =>
  `Keyhold API key: revoke\nAddress: ${f.address.toLowerCase()}\nPublic key: ${f.publicKeyHex.toLowerCase()}\nName: ${f.name}`;
