/**
 * HTTP plumbing on `node:http`: CORS headers, reading a bounded body, writing JSON replies.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceError } from './errors.js';

/** Largest request body: 128 KiB. Larger bodies get 413. */
export const MAX_REQUEST_BYTES = 128 * 1024;
/** Past this much, the upload is not drained but the connection is cut. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * CORS for pages and extension workers of any origin. No cookies are used (the device key is a
 * header), so `*` is safe.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-device-key, x-api-key',
  'access-control-max-age': '600',
};

/**
 * Reads the whole request body.
 * @throws ServiceError 413 `body_too_large` over 128 KiB (after draining the upload, so the
 *   client reads the reply)
 */
export function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) req.destroy();
    });
    req.on('end', () => {
      if (size > MAX_REQUEST_BYTES) {
        const close = { connection: 'close' };
        reject(new ServiceError(413, 'body_too_large', `request bodies are limited to ${MAX_REQUEST_BYTES} bytes`, close));
      } else {
        const body = Buffer.concat(chunks);
        resolve(new Uint8Array(body.buffer, body.byteOffset, body.length));
      }
    });
    req.on('error', reject);
  });
}

/** Writes a JSON reply with the CORS headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...CORS_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The `{error: {code, message}}` body of a rejection. */
export const errorBody = (e: ServiceError): unknown => ({ error: { code: e.code, message: e.message } });
