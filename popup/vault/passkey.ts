/**
 * WebAuthn in Keyhold's own pages (the popup, or the popup opened in a tab): enrolling a passkey
 * with the PRF extension and asking it for its PRF output to unlock the vault. The worker has no
 * `navigator.credentials`, so this runs here; the relying party is the extension itself (rpId =
 * its id, the host of its `chrome-extension://` origin). The PRF output goes to the worker, which
 * derives the key that wraps the vault key from it; nothing here is stored.
 * @module
 */
import { toBase64Url } from '../../src/encoding/base64url.js';
import type { PasskeyView } from '../../src/protocol/vault-rpc.js';
import { t } from '../i18n.js';

/** What enrolling produced, for `vault_addPasskey` (base64url each). */
export interface EnrolledPasskey {
  credentialId: string;
  prfSalt: string;
  prfOutput: string;
}

const fromB64u = (s: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

type PrfResults = { prf?: { enabled?: boolean; results?: { first?: ArrayBuffer } } };
const prfFirst = (cred: PublicKeyCredential): Uint8Array | null => {
  const first = (cred.getClientExtensionResults() as PrfResults).prf?.results?.first;
  return first ? new Uint8Array(first) : null;
};

/** The extension's own id: WebAuthn's relying party for Keyhold's passkeys. */
const rpId = (): string => location.hostname;

let support: Promise<boolean> | undefined;

/**
 * Whether this browser can unlock with a passkey here: it announces the PRF extension
 * (`PublicKeyCredential.getClientCapabilities`) and lets this extension page use WebAuthn at
 * all. The second is probed with a conditional request aborted at once, which shows nothing: a
 * browser that refuses WebAuthn to extension pages (Firefox 153 for `moz-extension:`) fails it
 * with a SecurityError, its origin check; Chromium lets extension pages use WebAuthn with their
 * id as rpId, and fails a conditional request there otherwise (NotAllowedError) or waits.
 */
export function passkeysSupported(): Promise<boolean> {
  support ??= (async () => {
    try {
      const pkc = globalThis.PublicKeyCredential as (typeof PublicKeyCredential & { getClientCapabilities?: () => Promise<Record<string, boolean>> }) | undefined;
      if (!pkc?.getClientCapabilities || !navigator.credentials) return false;
      const caps = await pkc.getClientCapabilities();
      if (caps['extension:prf'] !== true) return false;
      const abort = new AbortController();
      const probe = navigator.credentials
        .get({ mediation: 'conditional', signal: abort.signal, publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: rpId() } })
        .then(() => true, (err: unknown) => !REFUSED.has((err as { name?: string }).name ?? ''));
      const verdict = await Promise.race([probe, new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 250))]);
      abort.abort();
      return verdict === 'waiting' ? true : verdict;
    } catch {
      return false;
    }
  })();
  return support;
}

/** What a browser that will not run WebAuthn for this page answers, before any prompt. */
const REFUSED = new Set(['SecurityError', 'NotSupportedError']);

/**
 * Creates a passkey for Keyhold with PRF, and reads its PRF output for a fresh random input
 * (at creation where the authenticator gives it, else with one assertion).
 * @throws Error when the user cancels or the authenticator has no PRF
 */
export async function enrollPasskey(name: string): Promise<EnrolledPasskey> {
  const prfSalt = crypto.getRandomValues(new Uint8Array(32));
  const cred = (await navigator.credentials.create({
    publicKey: {
      rp: { id: rpId(), name: 'Keyhold' },
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: `Keyhold vault (${name})`, displayName: 'Keyhold vault' },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      extensions: { prf: { eval: { first: prfSalt } } } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  if (!cred) throw new Error(t('passkeyNoneCreated'));
  const enabled = (cred.getClientExtensionResults() as PrfResults).prf?.enabled;
  if (enabled === false) throw new Error(t('passkeyNoPrf'));
  let output = prfFirst(cred);
  if (!output) {
    const again = await unlockAssertion([{ id: toBase64Url(new Uint8Array(cred.rawId)), prfSalt: toBase64Url(prfSalt), name, createdAt: 0 }]);
    output = fromB64u(again.prfOutput);
  }
  return { credentialId: toBase64Url(new Uint8Array(cred.rawId)), prfSalt: toBase64Url(prfSalt), prfOutput: toBase64Url(output) };
}

/**
 * Asks one of the enrolled passkeys for its PRF output, each with its own input.
 * @throws Error when the user cancels or the passkey gives no PRF output
 */
export async function unlockAssertion(passkeys: PasskeyView[]): Promise<{ credentialId: string; prfOutput: string }> {
  const evalByCredential = Object.fromEntries(passkeys.map((p) => [p.id, { first: fromB64u(p.prfSalt) }]));
  const cred = (await navigator.credentials.get({
    publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      rpId: rpId(),
      allowCredentials: passkeys.map((p) => ({ type: 'public-key' as const, id: fromB64u(p.id) })),
      userVerification: 'required',
      extensions: { prf: { evalByCredential } } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  if (!cred) throw new Error(t('passkeyNoAnswer'));
  const output = prfFirst(cred);
  if (!output) throw new Error(t('passkeyNoPrfOutput'));
  return { credentialId: toBase64Url(new Uint8Array(cred.rawId)), prfOutput: toBase64Url(output) };
}
