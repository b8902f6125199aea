/**
 * Builds the extension for every browser from one source tree: `dist/` for Chromium and
 * `dist-firefox/` for Firefox, each loadable unpacked. esbuild bundles, minified, with source
 * maps, then static files and the manifest of that target (see `manifest.ts`).
 * Usage: `tsx scripts/build.ts`.
 * @module
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROME_MIN_VERSION, GECKO_MIN_VERSION, manifest, type Target } from './manifest.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The extension's own pages. Each is bundled from `popup/NAME.tsx` and gets a `NAME.html` shell
 * written by `pageShell` below; a new page is one line here. `body` is the `window-*` class that
 * sizes the page (the toolbar popup, the approval window, a full tab).
 */
export const PAGES: Record<string, { title: string; body: string }> = {
  popup: { title: 'Keyhold', body: 'window-popup' },
  approval: { title: 'Keyhold: approve request', body: 'window-approval' },
  onboarding: { title: 'Keyhold', body: 'window-tab' },
};

/** The worker's entry, bundled on its own (see `buildWorker`). */
const WORKER_ENTRY = 'background/index.ts';

/** Every other bundle: the content scripts and the pages, one IIFE each. */
const SCRIPT_ENTRIES: Record<string, string> = {
  inpage: 'src/provider/index.ts',
  relay: 'src/relay/index.ts',
  ...Object.fromEntries(Object.keys(PAGES).map((name) => [name, `popup/${name}.tsx`])),
};

export const ENTRIES: Record<string, string> = { background: WORKER_ENTRY, ...SCRIPT_ENTRIES };

/** The HTML shell of one page: its title, the shared stylesheet, its bundle, and the root preact renders into. */
export const pageShell = (name: string, { title, body }: { title: string; body: string }): string => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>${title}</title>
    <link rel="stylesheet" href="styles.css" />
    <script src="${name}.js" type="module"></script>
  </head>
  <body class="${body}">
    <div id="app"></div>
  </body>
</html>
`;

/** Where each target is built. Chromium's stays at `dist/`, which the docs and tools name. */
export const OUTDIRS: Record<Target, string> = {
  chromium: join(root, 'dist'),
  firefox: join(root, 'dist-firefox'),
};

/** The oldest browser each target supports, so esbuild lowers only what that one lacks. */
const ESBUILD_TARGETS: Record<Target, string> = {
  chromium: `chrome${CHROME_MIN_VERSION}`,
  firefox: `firefox${parseInt(GECKO_MIN_VERSION, 10)}`,
};

/**
 * Packages a bundle evaluates only when needed, not at the worker's start: an import of one
 * links its stand-in module, which `require`s the package lazily (esbuild wraps a required
 * module in a function run on the first `require`; a service worker cannot `import()`).
 * Measured with `BENCH_ONLY=core` (cold start): tldts's Public Suffix List cost about 5 ms of
 * evaluation, the polyfill's wrapper about 3 ms.
 */
export const LAZY_MODULES: Record<string, string> = {
  tldts: 'src/sites/tldts-lazy.ts',
  'webextension-polyfill': 'src/platform/browser-namespace.ts',
};

export const lazyModules: Plugin = {
  name: 'keyhold-lazy-modules',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY_MODULES).map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.kind === 'require-call' ? undefined : { path: join(root, LAZY_MODULES[args.path]!) }));
  },
};

/** esbuild's options shared by every bundle of a target. */
const bundleOptions = (target: Target, outdir: string): BuildOptions => ({
  absWorkingDir: root,
  outdir,
  bundle: true,
  target: ESBUILD_TARGETS[target],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  loader: { '.svg': 'text' },
  jsx: 'automatic',
  jsxImportSource: 'preact',
  logLevel: 'warning',
  plugins: [lazyModules],
});

/** Where the worker's chunks go, in both targets. */
const CHUNK_NAMES = 'chunks/[name]-[hash]';

/**
 * The worker, split where it `import()`s: the signing path (`background/index.ts` and what it
 * imports statically) in the first script, the rest of the worker and the page methods' table
 * in chunks evaluated on first use (measured with `BENCH_ONLY=core` and `BENCH_ONLY=firefox`:
 * compiling and evaluating the whole 440 KB worker was most of either browser's cold start over
 * its floor).
 *
 * Firefox's event page is an ES module (`type: 'module'` in its manifest): esbuild's code
 * splitting as it is. Chromium's service worker is a classic script, which cannot `import()`:
 * the same split, then each ES-module chunk rewritten (by esbuild, from the first build's
 * output and source maps) as a CommonJS module inside a `__khDefine(…)` call, with
 * `background/platform/script-loader.ts` at the top of `background.js` to import and evaluate
 * them when first required. Returns the worker's files, relative to `outdir`.
 */
export async function buildWorker(target: Target, outdir: string): Promise<string[]> {
  const split: BuildOptions = { entryPoints: { background: WORKER_ENTRY }, format: 'esm', splitting: true, chunkNames: CHUNK_NAMES, metafile: true };
  const stage = target === 'chromium' ? join(outdir, '.esm') : outdir;
  const { metafile } = await build({ ...bundleOptions(target, stage), ...split });
  const files = Object.keys(metafile?.outputs ?? {})
    .filter((file) => file.endsWith('.js'))
    .map((file) => relative(stage, join(root, file)));
  if (target === 'firefox') return files;

  const chunks = files.filter((file) => file !== 'background.js');
  const commonJs: BuildOptions = {
    ...bundleOptions(target, outdir),
    absWorkingDir: stage,
    outbase: stage,
    bundle: false,
    plugins: [],
    format: 'cjs',
    supported: { 'dynamic-import': false },
  };
  const loader = await build({
    ...bundleOptions(target, outdir),
    stdin: {
      contents: `import { installScriptLoader } from './background/platform/script-loader.ts';
self.__khRequire = installScriptLoader(self, ${JSON.stringify(chunks)});`,
      resolveDir: root,
      loader: 'js',
    },
    format: 'iife',
    sourcemap: false,
    write: false,
  });
  const loaderCode = loader.outputFiles?.[0]?.text.trim();
  if (!loaderCode) throw new Error('build: the worker chunk loader bundled to nothing');
  await build({ ...commonJs, entryPoints: chunks, banner: { js: '__khDefine(function(require,module,exports){' }, footer: { js: '});' } });
  await build({
    ...commonJs,
    entryPoints: ['background.js'],
    banner: { js: `${loaderCode}\n(function(require,module,exports){` },
    footer: { js: '})(self.__khRequire,{exports:{}},{});' },
  });
  await rm(stage, { recursive: true, force: true });
  return files;
}

export async function buildExtension(target: Target, outdir: string): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await buildWorker(target, outdir);
  await build({ ...bundleOptions(target, outdir), entryPoints: SCRIPT_ENTRIES, format: 'iife' });
  for (const file of await readdir(join(root, 'popup'))) {
    // One template writes every page, so a hand-written shell would drift from the others.
    if (file.endsWith('.html')) throw new Error(`popup/${file}: add the page to PAGES in scripts/build.ts instead`);
    if (file.endsWith('.css')) await cp(join(root, 'popup', file), join(outdir, file));
  }
  for (const [name, page] of Object.entries(PAGES)) await writeFile(join(outdir, `${name}.html`), pageShell(name, page));
  for (const file of await readdir(join(root, 'assets'))) {
    if (file.endsWith('.png')) await cp(join(root, 'assets', file), join(outdir, file));
  }
  await cp(join(root, '_locales'), join(outdir, '_locales'), { recursive: true });
  await writeFile(join(outdir, 'manifest.json'), `${JSON.stringify(manifest(target), null, 2)}\n`);
}

/** Builds the demo exchange page (examples/exchange/) into `outdir`, for the reference service to serve. */
export async function buildDemo(outdir: string): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: { exchange: 'examples/exchange/exchange.ts' },
    outdir,
    bundle: true,
    format: 'iife',
    target: ['chrome137', 'firefox129'],
    minify: true,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'exchange.css']) await cp(join(root, 'examples/exchange', file), join(outdir, file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildExtension('chromium', OUTDIRS.chromium);
  await buildExtension('firefox', OUTDIRS.firefox);
  console.log('Built dist/ (Chromium) and dist-firefox/ (Firefox).');
}
