/**
 * Recognises Sign-In with Ethereum messages (EIP-4361) inside `personal_sign` text, so the
 * approval window can show what the user signs in to, and warn when the message names another
 * site. Pure. Parsing follows the EIP's message format line by line; a message whose first
 * line is a SIWE header is treated as a sign-in even when the rest is malformed (its domain is
 * still checked), so a broken message cannot dodge the warning.
 * @module
 */
import type { SiweFields } from '../../src/protocol/wallet-api.js';
import { isAddress } from '../../src/protocol/address.js';

const HEADER = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\S+) wants you to sign in with your Ethereum account:$/;

/** The header's domain (and scheme) when `text` starts like a SIWE message, else null. */
export function siweHeader(text: string): { scheme: string | null; domain: string } | null {
  const [, scheme, domain] = HEADER.exec(text.split('\n', 1)[0] ?? '') ?? [];
  return domain === undefined ? null : { scheme: scheme ?? null, domain };
}

const FIELDS: [key: keyof SiweFields, label: string][] = [
  ['uri', 'URI'],
  ['version', 'Version'],
  ['chainId', 'Chain ID'],
  ['nonce', 'Nonce'],
  ['issuedAt', 'Issued At'],
  ['expirationTime', 'Expiration Time'],
  ['notBefore', 'Not Before'],
  ['requestId', 'Request ID'],
];
const REQUIRED = new Set(['uri', 'version', 'chainId', 'nonce', 'issuedAt']);

/** Parses a SIWE message; null when it is not one or is malformed. */
export function parseSiwe(text: string): SiweFields | null {
  const header = siweHeader(text);
  if (!header) return null;
  const lines = text.split('\n');
  const address = lines[1] ?? '';
  if (!isAddress(address)) return null;
  let i = 2;
  // An empty line, then an optional one-line statement and another empty line.
  if (lines[i] !== '') return null;
  i++;
  let statement: string | null = null;
  const afterAddress = lines[i];
  if (afterAddress !== undefined && !afterAddress.startsWith('URI: ')) {
    if (afterAddress === '') {
      i++;
    } else {
      statement = afterAddress;
      i++;
      if (lines[i] !== '') return null;
      i++;
    }
  }
  const out: Partial<Record<keyof SiweFields, string>> = {};
  for (const [key, label] of FIELDS) {
    const line = lines[i];
    if (line?.startsWith(`${label}: `)) {
      out[key] = line.slice(label.length + 2);
      i++;
    } else if (REQUIRED.has(key)) {
      return null;
    }
  }
  const resources: string[] = [];
  if (lines[i] === 'Resources:') {
    i++;
    for (let line = lines[i]; line?.startsWith('- '); line = lines[++i]) resources.push(line.slice(2));
  }
  while (lines[i] === '') i++;
  if (i !== lines.length) return null;
  const { uri, version, nonce, issuedAt } = out;
  if (uri === undefined || version === undefined || nonce === undefined || issuedAt === undefined) return null;
  const chainId = Number(out.chainId);
  if (!Number.isSafeInteger(chainId) || chainId < 1 || !/^[0-9]+$/.test(String(out.chainId))) return null;
  if (!/^[a-zA-Z0-9]{8,}$/.test(nonce)) return null;
  return {
    scheme: header.scheme,
    domain: header.domain,
    address,
    statement,
    uri,
    version,
    chainId,
    nonce,
    issuedAt,
    expirationTime: out.expirationTime ?? null,
    notBefore: out.notBefore ?? null,
    requestId: out.requestId ?? null,
    resources,
  };
}

/**
 * Whether a SIWE header names a site other than `origin`: its domain must equal the origin's
 * host (with port, when not the default), and a scheme, when given, the origin's scheme.
 */
export function siweDomainMismatch(header: { scheme: string | null; domain: string }, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return true;
  }
  if (header.domain.toLowerCase() !== url.host.toLowerCase()) return true;
  return header.scheme !== null && `${header.scheme.toLowerCase()}:` !== url.protocol;
}

/**
 * Whether a message that starts like SIWE names another account than the one signing it (its
 * second line is the address). A missing or malformed address counts as another account, so
 * a broken message cannot dodge the warning.
 */
export function siweAddressMismatch(text: string, signer: string): boolean {
  const line = (text.split('\n', 3)[1] ?? '').trim();
  return !isAddress(line) || line.toLowerCase() !== signer.toLowerCase();
}
