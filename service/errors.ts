/**
 * The service's one error type: an HTTP status, a stable snake_case code and a message a client
 * developer can act on. Every rejection becomes `{error: {code, message}}` with that status.
 * Messages never contain secrets (device keys).
 * @module
 */
import { VerifyError } from '../packages/verify/src/index.js';

/** A rejection the service answers as `{error: {code, message}}` with `status`. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** extra response headers, e.g. `allow` for 405 */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** 400: the request is malformed (transport, payload, body, wrong type for the endpoint). */
export const badRequest = (code: string, message: string): ServiceError => new ServiceError(400, code, message);
/** 401: the signer is not authenticated (signature, session, device key, auth window). */
export const unauthorized = (code: string, message: string): ServiceError => new ServiceError(401, code, message);
/** 403: authenticated, but the session's role or subaccount does not allow the request. */
export const forbidden = (code: string, message: string): ServiceError => new ServiceError(403, code, message);
/** 404: no such route, or no such resource for this signer. */
export const notFound = (code: string, message: string): ServiceError => new ServiceError(404, code, message);
/** 409: the request conflicts with state (replayed request id, existing session or credential). */
export const conflict = (code: string, message: string): ServiceError => new ServiceError(409, code, message);

/**
 * What `@keyhold/verify` refused (a {@link VerifyError}: its status, code and message) as this
 * service's error; anything else unchanged.
 */
export function asServiceError(err: unknown): unknown {
  return err instanceof VerifyError ? new ServiceError(err.status, err.code, err.message) : err;
}
