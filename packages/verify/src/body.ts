/**
 * Reading a request body within a size limit: the one reader under both adapters (a Fetch
 * `ReadableStream`, a Node request's chunks).
 * @module
 */
import { VerifyError } from './errors.js';

/** 413: the body is larger than the verifier reads. */
export const bodyTooLarge = (max: number): VerifyError => new VerifyError(413, 'body_too_large', `request body exceeds ${max} bytes`);

/**
 * Concatenates the chunks `next` yields until it yields null, refusing more than `max` bytes.
 * @param stop - called before refusing, to release the source (cancel a stream)
 * @throws VerifyError 413 `body_too_large`
 */
export async function collectBody(next: () => Promise<Uint8Array | null>, max: number, stop: () => Promise<unknown> = async () => undefined): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let chunk = await next(); chunk !== null; chunk = await next()) {
    length += chunk.length;
    if (length > max) {
      await stop();
      throw bodyTooLarge(max);
    }
    chunks.push(chunk);
  }
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) body.set(chunk, (at += chunk.length) - chunk.length);
  return body;
}
