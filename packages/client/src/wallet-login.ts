/**
 * Completing a pending service session with any EIP-1193 wallet: the wallet `personal_sign`s
 * the readable login message, and Keyhold posts the login with that signature.
 * @module
 */
import { fromBase64, toHex, utf8 } from './bytes.js';
import { KeyholdError, KeyholdErrorCode, call } from './errors.js';
import { completeSession } from './session.js';
import type { Eip1193Provider, KeyholdProvider, Session, SessionInfo } from './types.js';

export interface WalletLoginOptions {
  /**
   * The account that signs; default the one the login message names (its second line, the
   * `service.address` given to `createSession`), else the wallet's first.
   */
  account?: string;
}

/** The account a Sign-In with Ethereum message names (its second line), if any. */
const namedAccount = (message: string): string | undefined => {
  const line = message.split('\n', 2)[1];
  return line !== undefined && /^0x[0-9a-fA-F]{40}$/.test(line) ? line : undefined;
};

/**
 * The exact bytes a pending session's master signs: `loginMessage` as UTF-8, which are
 * `loginPayload`'s bytes (the decoded `loginPayload` where Keyhold answers no `loginMessage`).
 * @throws KeyholdError -32602 when the session is not pending a login
 */
export function loginBytes(session: SessionInfo): Uint8Array {
  if (session.loginMessage !== undefined) return utf8(session.loginMessage);
  if (session.loginPayload !== undefined) return fromBase64(session.loginPayload);
  throw new KeyholdError(KeyholdErrorCode.InvalidParams, `Session ${session.id} is not waiting for a login.`);
}

async function firstAccount(wallet: Eip1193Provider): Promise<string> {
  const known = (await wallet.request({ method: 'eth_accounts' })) as unknown;
  const accounts = Array.isArray(known) && known.length > 0 ? known : await wallet.request({ method: 'eth_requestAccounts' });
  const first: unknown = Array.isArray(accounts) ? accounts[0] : undefined;
  if (typeof first !== 'string') throw new KeyholdError(KeyholdErrorCode.Unauthorized, 'The wallet has no account to sign the login with.');
  return first;
}

/**
 * Signs a pending session's login with `wallet` (EIP-191 `personal_sign`, data as 0x-hex of
 * the message's UTF-8, as viem's `signMessage` sends it) and completes the session. A session
 * that is already active is answered as it is.
 * @throws KeyholdError with the wallet's code (4001 when the user refuses to sign), or
 *   `completeSession`'s errors
 */
export async function completeWithWallet(
  keyhold: KeyholdProvider,
  wallet: Eip1193Provider,
  session: Session,
  options: WalletLoginOptions = {},
): Promise<Session> {
  if (session.status !== 'pending') return session;
  const message = loginBytes(session);
  const signature = await call(async () => {
    const account = options.account ?? namedAccount(new TextDecoder().decode(message)) ?? (await firstAccount(wallet));
    return wallet.request({ method: 'personal_sign', params: [toHex(message), account] });
  });
  if (typeof signature !== 'string') throw new KeyholdError(KeyholdErrorCode.Internal, 'The wallet answered personal_sign with no signature.');
  return completeSession(keyhold, session.id, { signature });
}
