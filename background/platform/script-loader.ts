/**
 * Chromium's worker in parts. A service worker cannot `import()`, and a module service worker
 * evaluates its whole static graph at every start. So the build (`scripts/build.ts`) cuts the
 * worker into the same chunks as Firefox's ES-module build, each a classic script that only
 * *defines* its module (`__khDefine(function (require, module, exports) {…})`, esbuild's
 * CommonJS form, with `import()` turned into `require`), and puts this loader at the top of
 * `background.js`. A chunk is imported (`importScripts`) and evaluated the first time a module
 * `require`s it, so a cold start's first signature compiles and runs only the signing path,
 * not the whole worker.
 *
 * Chromium lets a service worker import a script after its first evaluation only if that script
 * was imported during it (the evaluation at install, when `serviceWorker.state` is `parsed`):
 * the browser keeps what was imported then with the worker, and every later start may import
 * it again from there. So that evaluation imports every chunk, which runs nothing but their
 * definitions; every later start imports a chunk only when first needed.
 *
 * Each import at a start other than the install's leaves a mark (`WORKER_CHUNK_MARK` and the
 * chunk's path), so a test and the bench can see what a start loaded.
 *
 * This module is bundled on its own into the banner of `background.js`, before the worker's
 * modules: it shares no state with them and imports only constants.
 * @module
 */
import { WORKER_CHUNK_MARK } from '../../src/platform/worker-marks.js';

/** A chunk's module, as esbuild writes it for CommonJS. */
export type ChunkFactory = (require: ChunkRequire, module: { exports: unknown }, exports: unknown) => void;
/** Loads (once) and returns the exports of the chunk at a path relative to the requiring script. */
export type ChunkRequire = (path: string) => unknown;

/** What the loader needs from the worker's global scope; a test passes its own. */
export interface LoaderScope {
  readonly location: { readonly href: string };
  readonly serviceWorker?: { readonly state: string };
  readonly performance?: { mark(name: string): unknown };
  importScripts(...urls: string[]): void;
  __khDefine?: (factory: ChunkFactory) => void;
}

/**
 * Installs `__khDefine` on `scope` and returns the entry's `require`. `chunks`: every chunk's
 * path relative to the worker script, imported at once when this is the install's evaluation.
 */
export function installScriptLoader(scope: LoaderScope, chunks: readonly string[]): ChunkRequire {
  const factories = new Map<string, ChunkFactory>();
  const modules = new Map<string, { exports: unknown }>();
  let importing: string | null = null;

  scope.__khDefine = (factory) => {
    if (importing === null || factories.has(importing)) throw new Error('Keyhold: a worker chunk was defined outside its import');
    factories.set(importing, factory);
  };

  const importChunk = (url: string): ChunkFactory => {
    importing = url;
    try {
      scope.importScripts(url);
    } finally {
      importing = null;
    }
    const factory = factories.get(url);
    if (!factory) throw new Error(`Keyhold: worker chunk ${url} did not define itself`);
    return factory;
  };

  const load = (url: string): unknown => {
    const loaded = modules.get(url);
    if (loaded) return loaded.exports;
    let factory = factories.get(url);
    if (!factory) {
      factory = importChunk(url);
      scope.performance?.mark(WORKER_CHUNK_MARK + new URL(url).pathname.slice(1));
    }
    const module = { exports: {} as unknown };
    // Registered before it runs, as CommonJS does: a chunk is evaluated once.
    modules.set(url, module);
    factory(requireFrom(url), module, module.exports);
    return module.exports;
  };

  const requireFrom =
    (from: string): ChunkRequire =>
    (path) =>
      load(new URL(path, from).href);

  if (scope.serviceWorker?.state === 'parsed') {
    for (const chunk of chunks) importChunk(new URL(chunk, scope.location.href).href);
  }
  return requireFrom(scope.location.href);
}
