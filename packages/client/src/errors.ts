/**
 * The one error the client throws: an EIP-1193 `ProviderRpcError` with its `code` and `data`,
 * as a class a dapp can test with `instanceof`.
 * @module
 */
import { ErrorCode } from '../../../src/protocol/errors.js';

/** The EIP-1193 / JSON-RPC codes Keyhold answers (`docs/page-api.md`, Errors): the extension's own table. */
export const KeyholdErrorCode = ErrorCode;

/** A failed Keyhold call: `code` is the EIP-1193 code, `data` what the provider attached. */
export class KeyholdError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyholdError';
    this.code = code;
    this.data = data;
  }
}

/**
 * Turns what a provider rejected with into a {@link KeyholdError}, keeping it as `cause`.
 * Anything without a numeric `code` becomes -32603.
 */
export function toKeyholdError(err: unknown): KeyholdError {
  if (err instanceof KeyholdError) return err;
  const field = (k: string): unknown => (typeof err === 'object' && err !== null ? Reflect.get(err, k) : undefined);
  const [code, message] = [field('code'), field('message')];
  return new KeyholdError(typeof code === 'number' ? code : KeyholdErrorCode.Internal, typeof message === 'string' ? message : String(err), field('data'), { cause: err });
}

/** Runs a provider call, rethrowing its failure as a {@link KeyholdError}. */
export async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw toKeyholdError(err);
  }
}
