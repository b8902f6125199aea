/**
 * Static files: `service/public/` served at `/` (GET and HEAD), `index.html` for directories.
 * Paths that leave the folder, and hidden files, are not served.
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORS_HEADERS } from './http.js';

/** The default folder: `service/public/`. */
export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Serves `urlPath` from `root`.
 * @returns false if there is no such file (the caller answers 404)
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, head: boolean): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.'))) return false;
  const base = resolve(root);
  let file = resolve(join(base, decoded));
  if (file !== base && !file.startsWith(base + sep)) return false;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const data = await readFile(file);
    res.writeHead(200, {
      ...CORS_HEADERS,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': data.length,
      'cache-control': 'no-cache',
    });
    res.end(head ? undefined : data);
    return true;
  } catch {
    return false;
  }
}
