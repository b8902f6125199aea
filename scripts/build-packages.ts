/**
 * Builds the npm packages in `packages/` (`@keyhold/client`, `@keyhold/verify`, `@keyhold/verify-redis`): one ESM file
 * by esbuild (not minified: the consumer's bundler minifies and tree-shakes it) and `.d.ts`
 * files by `tsc`. The client's types come from `src/protocol`, so its declarations keep that
 * folder's layout under `dist/types/`.
 * Usage: `tsx scripts/build-packages.ts [client|verify|verify-redis]…` (default all).
 * @module
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGES = ['client', 'verify', 'verify-redis'] as const;
export type PackageName = (typeof PACKAGES)[number];

/** Builds `packages/<name>/dist`. */
export async function buildPackage(name: PackageName): Promise<void> {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  await rm(join(dir, 'dist'), { recursive: true, force: true });
  await build({
    absWorkingDir: dir,
    entryPoints: { index: 'src/index.ts' },
    outdir: 'dist',
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // Runtime dependencies stay imports, so the consumer installs and dedupes them.
    external: [...Object.keys(manifest.dependencies ?? {}).map((d) => `${d}/*`), ...Object.keys(manifest.dependencies ?? {})],
    legalComments: 'none',
    logLevel: 'warning',
  });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  for (const name of names.length ? names : PACKAGES) {
    if (!(PACKAGES as readonly string[]).includes(name)) throw new Error(`unknown package "${name}"; one of ${PACKAGES.join(', ')}`);
    await buildPackage(name as PackageName);
    console.log(`Built packages/${name}/dist.`);
  }
}
