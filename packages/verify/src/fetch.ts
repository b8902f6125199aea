/**
 * The Fetch-API adapter: verifies a `Request` (Hono, Bun.serve, Deno.serve, Cloudflare Workers,
 * Next.js route handlers…) and turns a refusal into a `Response`.
 * @module
 */
import { bodyTooLarge, collectBody } from './body.js';
import { VerifyError } from './errors.js';
import type { LoginPolicy, VerifiedLogin } from './login.js';
import { Verifier, type Policy, type VerifiedRequest, type VerifierOptions } from './verifier.js';

/** Reads a request body, stopping at `max` bytes (413 beyond). */
export async function readRequestBody(request: Request, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > max) throw bodyTooLarge(max);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const next = async (): Promise<Uint8Array | null> => {
    const { done, value } = await reader.read();
    return done ? null : value;
  };
  return collectBody(next, max, () => reader.cancel());
}

/**
 * Verifies a signed `POST` with `verifier`.
 * @throws VerifyError (use `err.toResponse()`)
 */
export async function verifyRequest<C = undefined>(verifier: Verifier, request: Request, policy: Policy<C> = {}): Promise<VerifiedRequest<C>> {
  const body = await readRequestBody(request, verifier.maxBodyBytes);
  return verifier.verifyBody(request.headers.get('content-type'), body, policy);
}

/**
 * Verifies a login `Request` (the bound login message) with `verifier`.
 * @throws VerifyError (use `err.toResponse()`)
 */
export async function verifyLoginRequest(verifier: Verifier, request: Request, policy: LoginPolicy): Promise<VerifiedLogin> {
  const body = await readRequestBody(request, verifier.maxBodyBytes);
  return verifier.verifyLogin(request.headers.get('content-type'), body, policy);
}

let shared: Verifier | undefined;

/**
 * Verifies a `Request` with one verifier per process (its in-memory replay guard included),
 * made from the first call's options; pass `verifier` to choose your own.
 * @throws VerifyError (use `err.toResponse()`)
 */
export function verify<C = undefined>(request: Request, options: Policy<C> & VerifierOptions & { verifier?: Verifier } = {}): Promise<VerifiedRequest<C>> {
  const verifier = options.verifier ?? (shared ??= new Verifier(options));
  return verifyRequest(verifier, request, options);
}

/**
 * Wraps a Fetch handler: verified requests reach `handler`; refusals are answered with their
 * status and `{error: {code, message}}`.
 */
export function withVerification<C = undefined>(
  verifier: Verifier,
  policy: Policy<C>,
  handler: (verified: VerifiedRequest<C>, request: Request) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    let verified: VerifiedRequest<C>;
    try {
      verified = await verifyRequest(verifier, request, policy);
    } catch (err) {
      if (err instanceof VerifyError) return err.toResponse();
      throw err;
    }
    return handler(verified, request);
  };
}
