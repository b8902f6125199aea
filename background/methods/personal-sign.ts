/**
 * `personal_sign` (EIP-191): a connected site asks the master key to sign a message. The
 * approval window shows the text (or hex); a Sign-In with Ethereum message is shown field by
 * field, and one that names another site than the requesting one needs a second, deliberate
 * confirmation. Answers the 65-byte signature as 0x-hex (v 27|28).
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { unauthorized } from '../../src/protocol/errors.js';
import { recognizeLogin } from '../../src/wire/login-message.js';
import { SignatureType, decodePayload } from '../../src/wire/payload.js';
import type { PersonalSignApproval, PersonalSignParams } from '../../src/protocol/wallet-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { awaitApproval } from '../approvals/await.js';
import { requireConnected } from '../wallet/connected.js';
import { parseSiwe, siweAddressMismatch, siweDomainMismatch, siweHeader } from '../wallet/siwe.js';

/** The message as text when it is UTF-8 without control characters other than newline and tab. */
export function messageText(bytes: Uint8Array): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(text.replace(/\r\n/g, '\n')) ? null : text;
  } catch {
    return null;
  }
}

export function personalSignApproval(p: PersonalSignParams, origin: string): PersonalSignApproval {
  const text = messageText(p.message);
  const header = text === null ? null : siweHeader(text);
  return {
    address: p.address,
    messageHex: `0x${bytesToHex(p.message)}`,
    text,
    siwe: text === null ? null : parseSiwe(text),
    siweDomainMismatch: header !== null && siweDomainMismatch(header, origin),
    siweAddressMismatch: header !== null && siweAddressMismatch(text!, p.address),
  };
}

/**
 * Refuses bytes that a service would take as the master's own word: a Keyhold login (text with a
 * `keyhold/session` ReCap, or a passkey login) or a binary master payload (signature type 2 or
 * 3). Keyhold's master signs those only in its own session window, naming service and site; a
 * signature obtained here could log an attacker's key in (attack 4 of the delegation issue).
 * @throws ProviderRpcError 4100
 */
export function refuseMasterPayload(message: Uint8Array, text: string | null): void {
  const login = text === null ? null : recognizeLogin(text);
  if (login !== null) {
    throw unauthorized('This message is a Keyhold service login; Keyhold signs logins only through keyhold_createSession, in a window that names the service and the site.');
  }
  let signatureType: number | null = null;
  try {
    signatureType = decodePayload(message).signatureType;
  } catch {
    // Not a payload: an ordinary message.
  }
  if (signatureType !== null && signatureType !== SignatureType.Ed25519) {
    throw unauthorized('This message is a master-signed service request; Keyhold signs those only on your click in its own window.');
  }
}

export async function personalSignMethod(deps: WorkerDeps, p: PersonalSignParams, ctx: PageContext): Promise<string> {
  await requireConnected(deps, ctx.origin, p.address);
  refuseMasterPayload(p.message, messageText(p.message));
  const { signature } = await awaitApproval(deps, ctx, 'personalSign', personalSignApproval(p, ctx.origin), 'The user rejected the signature request.');
  return signature;
}
