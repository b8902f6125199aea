/**
 * The verifier's one error: an HTTP status, a stable snake_case code (the codes of
 * `spec/service.md` §6) and a message for a developer. Messages never quote a secret.
 * @module
 */

/** A rejected request. `status` is the HTTP status to answer; `code` is stable. */
export class VerifyError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 409 | 413 | 415 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'VerifyError';
  }

  /** The JSON body to answer: `{error: {code, message}}`. */
  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }

  /** A Fetch-API `Response` with this status and JSON body. */
  toResponse(): Response {
    return new Response(JSON.stringify(this.toJSON()), {
      status: this.status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
}

/** 400: malformed (transport, payload, wrong type for the endpoint, key or signature shape). */
export const badRequest = (code: string, message: string): VerifyError => new VerifyError(400, code, message);
/** 401: not authenticated (signature, unknown key, auth window). */
export const unauthorized = (code: string, message: string): VerifyError => new VerifyError(401, code, message);
