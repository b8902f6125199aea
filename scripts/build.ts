/**
 * Builds the extension into `dist/` (Chromium, loadable unpacked): esbuild bundles, minified,
 * with source maps, then static files and the manifest.
 * Usage: `tsx scripts/build.ts`.
 * @module
 */
import { build } from 'esbuild';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifest, type Target } from './manifest.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const ENTRIES = {
  background: 'background/index.ts',
  inpage: 'src/provider/index.ts',
  relay: 'src/relay/index.ts',
  popup: 'popup/popup.tsx',
  approval: 'popup/approval.tsx',
} as const;

export async function buildExtension(target: Target, outdir: string): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES)),
    outdir,
    bundle: true,
    format: 'iife',
    target: ['chrome137', 'firefox129'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    loader: { '.svg': 'text' },
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'warning',
  });
  for (const file of await readdir(join(root, 'popup'))) {
    if (file.endsWith('.html') || file.endsWith('.css')) await cp(join(root, 'popup', file), join(outdir, file));
  }
  for (const file of await readdir(join(root, 'assets'))) {
    if (file.endsWith('.png')) await cp(join(root, 'assets', file), join(outdir, file));
  }
  await writeFile(join(outdir, 'manifest.json'), `${JSON.stringify(manifest(target), null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildExtension('chromium', join(root, 'dist'));
  console.log('Built dist/ (Chromium).');
}
