/**
 * `@keyhold/client` stays small and tree-shakable: the session API bundled and minified by
 * esbuild is at most 3 KB gzipped, and a dapp importing one function does not carry the rest.
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const SESSION_API = ['findKeyhold', 'createSession', 'completeSession', 'signRequest', 'send', 'listSessions', 'revokeSession', 'completeWithWallet', 'KeyholdError'];

/** Bytes of a minified ESM bundle that uses `names` from the client, and of its gzip. */
export async function bundleSize(names: string[]): Promise<{ min: number; gzip: number; code: string }> {
  const out = await build({
    stdin: { contents: `import { ${names.join(', ')} } from './packages/client/src/index.ts';\nglobalThis.use = [${names.join(', ')}];`, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.text;
  return { min: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length, code };
}

test('the session API is at most 3 KB gzipped', async () => {
  const size = await bundleSize(SESSION_API);
  console.log(`# @keyhold/client session API: ${size.min} B minified, ${size.gzip} B gzipped`);
  assert.ok(size.gzip <= 3072, `${size.gzip} B gzipped`);
});

test('importing one function leaves the others out (tree-shaking)', async () => {
  const one = await bundleSize(['signRequest']);
  const all = await bundleSize(SESSION_API);
  console.log(`# signRequest alone: ${one.gzip} B gzipped`);
  assert.ok(one.gzip < all.gzip);
  assert.ok(!one.code.includes('eip6963:requestProvider'), 'findKeyhold was not shaken out');
  assert.ok(!one.code.includes('personal_sign'), 'completeWithWallet was not shaken out');
  assert.ok(!one.code.includes('keyhold_listSessions'), 'listSessions was not shaken out');
});
