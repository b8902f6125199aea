/**
 * EIP-1193 provider errors: the only error shape that crosses a context boundary.
 * Every failure a page, relay or extension page can see is a {@link ProviderRpcError}
 * with a stable code and a message a developer can act on. Secrets never go in a message.
 * @module
 */

/** The EIP-1193 / JSON-RPC codes Keyhold uses. */
export const ErrorCode = {
  /** The user rejected the request. */
  UserRejected: 4001,
  /** Unknown, foreign, expired or revoked session; request type not granted; origin not connected. */
  Unauthorized: 4100,
  /** The method does not exist or is not available to this caller. */
  UnsupportedMethod: 4200,
  /** The extension is not reachable (worker gone and the request could not be retried). */
  Disconnected: 4900,
  /** Malformed parameters; the message names the field. */
  InvalidParams: -32602,
  /** Something went wrong inside Keyhold. */
  Internal: -32603,
  /** Too many requests of this kind are already waiting (EIP-1474 "limit exceeded"). */
  LimitExceeded: -32005,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The plain-object form of an error, as it crosses `postMessage` and runtime ports. */
export interface SerializedError {
  code: number;
  message: string;
  data?: unknown;
}

/** An EIP-1193 `ProviderRpcError`. */
export class ProviderRpcError extends Error {
  readonly code: number;
  readonly data?: unknown;
  constructor(code: number, message: string, data?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderRpcError';
    this.code = code;
    if (data !== undefined) this.data = data;
  }
  toJSON(): SerializedError {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export const invalidParams = (message: string): ProviderRpcError =>
  new ProviderRpcError(ErrorCode.InvalidParams, message);
export const unauthorized = (message: string): ProviderRpcError =>
  new ProviderRpcError(ErrorCode.Unauthorized, message);
export const userRejected = (message = 'User rejected the request.'): ProviderRpcError =>
  new ProviderRpcError(ErrorCode.UserRejected, message);
export const unsupportedMethod = (method: string): ProviderRpcError =>
  new ProviderRpcError(ErrorCode.UnsupportedMethod, `Keyhold does not support the method "${method}".`);
export const disconnected = (message = 'Keyhold is not reachable; try again.'): ProviderRpcError =>
  new ProviderRpcError(ErrorCode.Disconnected, message);
export const limitExceeded = (message: string): ProviderRpcError =>
  new ProviderRpcError(ErrorCode.LimitExceeded, message);

/**
 * Turns anything thrown into the error that may cross a boundary. A {@link ProviderRpcError}
 * keeps its code and message; anything else becomes -32603 with a generic message, so that an
 * internal detail (which might quote a secret) never leaves the worker.
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof ProviderRpcError) return err.toJSON();
  return { code: ErrorCode.Internal, message: 'Keyhold hit an internal error.' };
}

/** Rebuilds a {@link ProviderRpcError} on the receiving side, keeping the original as `cause`. */
export function deserializeError(e: SerializedError): ProviderRpcError {
  return new ProviderRpcError(e.code, e.message, e.data, { cause: e });
}
