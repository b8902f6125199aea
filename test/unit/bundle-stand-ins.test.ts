/**
 * The extension bundles' stand-ins (scripts/build.ts, LAZY_MODULES): the worker's bundle reaches
 * tldts (the Public Suffix List) only through a `require` that runs on first use, never through
 * an import evaluated at start; and the bundled `webextension-polyfill` is the browser's own
 * namespace object when there is one (the polyfill would throw here, with no `chrome`).
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { build } from 'esbuild';
import { LAZY_MODULES, lazyModules } from '../../scripts/build.js';

describe('bundle stand-ins', () => {
  test('the worker bundle requires tldts lazily and never imports it at start', async () => {
    const { metafile } = await build({
      entryPoints: ['background/index.ts'],
      bundle: true,
      format: 'iife',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [lazyModules],
    });
    const edges = Object.entries(metafile.inputs).flatMap(([from, input]) => input.imports.map((i) => ({ from, to: i.path, kind: i.kind })));
    const intoTldts = edges.filter((e) => /^node_modules\/tldts\//.test(e.to) && !e.from.startsWith('node_modules/tldts'));
    assert.ok(intoTldts.length > 0, 'tldts is in the bundle');
    assert.deepEqual(intoTldts.map((e) => [e.from, e.kind]), [[LAZY_MODULES.tldts, 'require-call']]);
  });

  test("the bundled polyfill import is the browser's own namespace when it has one", async () => {
    const { outputFiles } = await build({
      stdin: { contents: "import browser from 'webextension-polyfill'; globalThis.got = browser;", resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      format: 'iife',
      write: false,
      logLevel: 'silent',
      plugins: [lazyModules],
    });
    const native = { runtime: { id: 'keyhold@test' } };
    const ctx = vm.createContext({ browser: native });
    vm.runInContext(outputFiles[0]!.text, ctx);
    assert.equal(ctx.got, native);
  });
});
