/**
 * `@keyhold/client`: what a dapp needs to use Keyhold. Find it (EIP-6963), ask for a session
 * key, sign and send requests, list and revoke sessions, complete a service login with any
 * EIP-1193 wallet. No dependencies; every export is a plain function, so bundlers keep only
 * what a dapp imports.
 * @module
 */
export { findKeyhold, KEYHOLD_RDNS, type FindKeyholdOptions } from './discover.js';
export { KeyholdError, KeyholdErrorCode, toKeyholdError } from './errors.js';
export {
  completeSession,
  createSession,
  listSessions,
  revokeSession,
  send,
  signRequest,
  toSession,
  type LoginProofInput,
  type SendOptions,
  type SignOptions,
} from './session.js';
export { completeWithWallet, loginBytes, type WalletLoginOptions } from './wallet-login.js';
export { fromBase64, toBase64, toHex, type BodyInput } from './bytes.js';
export type * from './types.js';
