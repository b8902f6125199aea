/**
 * Chromium's worker in parts (background/platform/script-loader.ts, `buildWorker` in
 * scripts/build.ts): the install's evaluation imports every chunk and runs none; a later start
 * imports a chunk only when first required, evaluates it once, and marks it. Then the built
 * worker itself, run in a VM: the install imports every chunk, and a later start only the
 * signing path's.
 * @module
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installScriptLoader, type ChunkFactory, type LoaderScope } from '../../background/platform/script-loader.js';
import { WORKER_CHUNK_MARK } from '../../src/platform/worker-marks.js';
import { buildWorker } from '../../scripts/build.js';

const BASE = 'chrome-extension://keyhold/';

/** A worker scope whose scripts are functions of the scope: what `importScripts` would run. */
function fakeScope(state: string, scripts: Record<string, (scope: LoaderScope) => void>) {
  const imported: string[] = [];
  const marks: string[] = [];
  const scope: LoaderScope = {
    location: { href: `${BASE}background.js` },
    serviceWorker: { state },
    performance: { mark: (name: string) => marks.push(name) },
    importScripts(...urls) {
      for (const url of urls) {
        imported.push(url.slice(BASE.length));
        const script = scripts[url.slice(BASE.length)];
        if (!script) throw new Error(`NetworkError: ${url}`);
        script(scope);
      }
    },
  };
  return { scope, imported, marks };
}

/** A chunk script that defines a module; `body` runs when it is evaluated. */
const chunk =
  (body: ChunkFactory): ((scope: LoaderScope) => void) =>
  (scope) =>
    scope.__khDefine?.(body);

describe('script loader', () => {
  const evaluated: string[] = [];
  const scripts = {
    'chunks/a.js': chunk((require, module) => {
      evaluated.push('a');
      module.exports = { a: 1, b: require('./b.js') };
    }),
    'chunks/b.js': chunk((_require, _module, exports) => {
      evaluated.push('b');
      (exports as { b: number }).b = 2;
    }),
  };

  test("the install's evaluation imports every chunk and evaluates none", () => {
    evaluated.length = 0;
    const { scope, imported, marks } = fakeScope('parsed', scripts);
    const require = installScriptLoader(scope, ['chunks/a.js', 'chunks/b.js']);
    assert.deepEqual(imported, ['chunks/a.js', 'chunks/b.js']);
    assert.deepEqual(evaluated, []);
    assert.deepEqual(require('./chunks/a.js'), { a: 1, b: { b: 2 } });
    assert.deepEqual(imported, ['chunks/a.js', 'chunks/b.js'], 'nothing imported twice');
    assert.deepEqual(marks, [], 'an install imports every chunk: no marks');
  });

  test('a later start imports a chunk when first required, from the requiring chunk, once, and marks it', () => {
    evaluated.length = 0;
    const { scope, imported, marks } = fakeScope('activated', scripts);
    const require = installScriptLoader(scope, ['chunks/a.js', 'chunks/b.js']);
    assert.deepEqual(imported, []);
    const a = require('./chunks/a.js');
    assert.deepEqual(a, { a: 1, b: { b: 2 } });
    assert.equal(require('./chunks/a.js'), a, 'the same exports');
    assert.deepEqual(imported, ['chunks/a.js', 'chunks/b.js'], 'b resolved against a, not against the worker');
    assert.deepEqual(evaluated, ['a', 'b']);
    assert.deepEqual(marks, [`${WORKER_CHUNK_MARK}chunks/a.js`, `${WORKER_CHUNK_MARK}chunks/b.js`]);
  });

  test('a cycle gets the partial exports, as CommonJS, and evaluates each chunk once', () => {
    const order: string[] = [];
    const { scope } = fakeScope('activated', {
      'chunks/x.js': chunk((require, _m, exports) => {
        order.push('x');
        (exports as Record<string, unknown>).x = 1;
        (exports as Record<string, unknown>).y = require('./y.js');
      }),
      'chunks/y.js': chunk((require, module) => {
        order.push('y');
        module.exports = { sawX: require('./x.js') };
      }),
    });
    const x = installScriptLoader(scope, [])('./chunks/x.js') as { x: number; y: { sawX: unknown } };
    assert.deepEqual(order, ['x', 'y']);
    assert.equal(x.y.sawX, x);
  });

  test('a chunk that does not define itself, or a definition outside an import, is an error', () => {
    const { scope } = fakeScope('activated', { 'chunks/empty.js': () => {} });
    const require = installScriptLoader(scope, []);
    assert.throws(() => require('./chunks/empty.js'), /worker chunk chrome-extension:\/\/keyhold\/chunks\/empty\.js did not define itself/);
    assert.throws(() => require('./chunks/missing.js'), /NetworkError/);
    assert.throws(() => scope.__khDefine?.(() => {}), /defined outside its import/);
  });
});

describe("the built Chromium worker's first script", () => {
  let out: string;
  let files: string[];
  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'keyhold-worker-'));
    files = await buildWorker('chromium', out);
  });
  after(() => rm(out, { recursive: true, force: true }));

  /**
   * Runs `background.js` in a VM as a start after the install, with a browser namespace whose
   * every API is a no-op and no IndexedDB (the start logs that its storage did not open), and
   * returns what it imported.
   */
  async function start(state: string) {
    const imported: string[] = [];
    const marks: string[] = [];
    const noop: unknown = new Proxy(() => {}, { get: (_t, key) => (key === 'id' ? 'keyhold' : key === 'getURL' ? (p: string) => BASE + p : noop), apply: () => undefined });
    const scope = vm.createContext({
      location: new URL(`${BASE}background.js`),
      serviceWorker: { state },
      performance: { mark: (name: string) => marks.push(name), now: () => 0 },
      browser: noop,
      console: { error: () => {}, warn: () => {}, log: () => {} },
      URL,
      setTimeout: () => 0,
      MessageChannel,
      TextEncoder,
      TextDecoder,
      crypto,
    });
    scope.self = scope;
    scope.importScripts = (...urls: string[]) => {
      for (const url of urls) {
        const path = url.slice(BASE.length);
        imported.push(path);
        vm.runInContext(readFileSyncText(path), scope, { filename: path });
      }
    };
    const texts = new Map(await Promise.all(files.map(async (f) => [f, await readFile(join(out, f), 'utf8')] as const)));
    const readFileSyncText = (path: string) => texts.get(path) ?? '';
    vm.runInContext(readFileSyncText('background.js'), scope, { filename: 'background.js' });
    return { imported, marks };
  }

  test('the install imports every chunk', async () => {
    const { imported } = await start('parsed');
    assert.deepEqual(imported.sort(), files.filter((f) => f !== 'background.js').sort());
  });

  test('a later start imports only the signing path: at most 160 KB with background.js, and neither the page methods nor the rest', async () => {
    const { imported, marks } = await start('activated');
    assert.ok(imported.length > 0, 'the signing path has chunks of its own');
    assert.ok(!imported.some((f) => /^chunks\/(methods|worker)-/.test(f)), `imported: ${imported.join(', ')}`);
    assert.deepEqual(marks.filter((m) => m.startsWith(WORKER_CHUNK_MARK)).map((m) => m.slice(WORKER_CHUNK_MARK.length)), imported);
    let total = (await stat(join(out, 'background.js'))).size;
    for (const f of imported) total += (await stat(join(out, f))).size;
    const whole = (await Promise.all(files.map((f) => stat(join(out, f))))).reduce((sum, s) => sum + s.size, 0);
    assert.ok(total <= 160_000, `first script and its chunks: ${total} bytes of ${whole}`);
    assert.ok(whole > 3 * total, `the rest is most of the worker (${whole} bytes in all)`);
  });
});
