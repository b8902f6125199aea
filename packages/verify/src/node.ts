/**
 * The Node `http` / Express adapter. Typed structurally, so it needs neither `@types/node` nor
 * Express: it reads the raw body itself, or takes the `Buffer`/`Uint8Array` that
 * `express.raw()` leaves in `req.body`.
 * @module
 */
import { collectBody } from './body.js';
import { VerifyError } from './errors.js';
import type { LoginPolicy, VerifiedLogin } from './login.js';
import { Verifier, type Policy, type VerifiedRequest } from './verifier.js';

/** What the adapter needs of a Node `IncomingMessage` (or an Express request). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  keyhold?: VerifiedRequest<unknown>;
}

/** What the adapter needs of a Node `ServerResponse` (or an Express response). */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
  headersSent?: boolean;
}

const header = (req: NodeRequestLike, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

async function readNodeBody(req: NodeRequestLike, max: number): Promise<Uint8Array> {
  if (req.body instanceof Uint8Array) return req.body;
  const chunks = req[Symbol.asyncIterator]();
  const next = async (): Promise<Uint8Array | null> => {
    const { done, value } = await chunks.next();
    return done ? null : typeof value === 'string' ? new TextEncoder().encode(value) : value;
  };
  // As a `for await` that throws would: end the iteration, which lets Node release the request.
  return collectBody(next, max, async () => chunks.return?.());
}

/**
 * Verifies a Node request.
 * @throws VerifyError (see {@link sendVerifyError})
 */
export async function verifyNodeRequest<C = undefined>(verifier: Verifier, req: NodeRequestLike, policy: Policy<C> = {}): Promise<VerifiedRequest<C>> {
  const body = await readNodeBody(req, verifier.maxBodyBytes);
  return verifier.verifyBody(header(req, 'content-type'), body, policy);
}

/**
 * Verifies a Node login request (the bound login message).
 * @throws VerifyError (see {@link sendVerifyError})
 */
export async function verifyNodeLogin(verifier: Verifier, req: NodeRequestLike, policy: LoginPolicy): Promise<VerifiedLogin> {
  const body = await readNodeBody(req, verifier.maxBodyBytes);
  return verifier.verifyLogin(header(req, 'content-type'), body, policy);
}

/** Answers a refusal: its status and `{error: {code, message}}`. */
export function sendVerifyError(res: NodeResponseLike, err: VerifyError): void {
  res.statusCode = err.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(err.toJSON()));
}

/**
 * Express (or Connect) middleware: a verified request goes on with `req.keyhold` set; a refused
 * one is answered with its status. Mount it before any body parser on the route, or after
 * `express.raw({type: ['application/json', 'application/octet-stream']})`.
 */
export function keyholdMiddleware<C = undefined>(verifier: Verifier, policy: Policy<C> = {}) {
  return (req: NodeRequestLike, res: NodeResponseLike, next: (err?: unknown) => void): void => {
    verifyNodeRequest(verifier, req, policy).then(
      (verified) => {
        req.keyhold = verified as VerifiedRequest<unknown>;
        next();
      },
      (err: unknown) => (err instanceof VerifyError ? sendVerifyError(res, err) : next(err)),
    );
  };
}
