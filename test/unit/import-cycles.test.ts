/**
 * No import cycles in product code (`src/`, `background/`, `popup/`), type-only imports
 * included (issue 13): a cycle is listed module by module so the message says where to cut.
 * The checker itself is tested on small graphs and on the real tree with one import added.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraph } from './import-graph.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

const graphOf = (edges: Record<string, string[]>) => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

/** Imports across contexts that must not exist. */
const FORBIDDEN: Array<[from: RegExp, to: RegExp]> = [
  // The provider and the content script run in web pages; shared code is shared by all.
  [/^src\//, /^(background|popup)\//],
  // Extension pages reach the worker only by the RPC; the worker reaches them only by events.
  [/^popup\//, /^(background|src\/provider|src\/relay)\//],
  [/^background\//, /^(popup|src\/provider|src\/relay)\//],
];

function contextBreaks(graph: Map<string, Set<string>>): string[] {
  const breaks: string[] = [];
  for (const [from, tos] of graph) {
    for (const to of tos) if (FORBIDDEN.some(([f, t]) => f.test(from) && t.test(to))) breaks.push(`${from} → ${to}`);
  }
  return breaks.sort();
}

describe('import cycles', () => {
  test('product code has none', () => {
    const graph = importGraph(ROOT);
    // The walk found the tree (not an empty folder), and followed its imports.
    assert.ok(graph.size > 150, `only ${graph.size} modules found`);
    assert.ok(graph.get('background/index.ts')?.has('background/deps.ts'));
    const cycles = importCycles(graph);
    assert.deepEqual(cycles.map((c) => c.join(' → ')), [], 'cut each cycle listed');
  });

  test('contexts import only what they may: pages never the worker, the worker never the pages', () => {
    assert.deepEqual(contextBreaks(importGraph(ROOT)), []);
    // The rule is live: a popup module importing the worker's, even for a type, is caught.
    const probe = importGraph(ROOT, { 'popup/rpc.ts': `import type { WorkerDeps } from '../background/deps.js';` });
    assert.deepEqual(contextBreaks(probe), ['popup/rpc.ts → background/deps.ts']);
  });

  test('one new import that closes a loop fails it, a type-only one too', () => {
    // sessions/create.ts imports deps.ts (for a type); deps.ts importing sessions/create.ts closes a loop.
    const deps = `import type { CreatedSession } from './sessions/create.js';\nexport type X = CreatedSession;\n`;
    const cycles = importCycles(importGraph(ROOT, { 'background/deps.ts': deps }));
    assert.deepEqual(cycles, [['background/deps.ts', 'background/sessions/create.ts', 'background/deps.ts']]);
    // A value import, a re-export and a dynamic import count the same.
    for (const line of [`import { createSessionKey } from './sessions/create.js';`, `export * from './sessions/create.js';`, `void import('./sessions/create.js');`]) {
      assert.equal(importCycles(importGraph(ROOT, { 'background/deps.ts': line })).length, 1, line);
    }
  });

  test('the checker: no cycle in a tree, every loop found, self-imports too', () => {
    assert.deepEqual(importCycles(graphOf({ a: ['b', 'c'], b: ['c'], c: [] })), []);
    assert.deepEqual(importCycles(graphOf({ a: ['b'], b: ['c'], c: ['a'], d: ['d'], e: ['f'], f: ['e'] })), [
      ['a', 'b', 'c', 'a'],
      ['d', 'd'],
      ['e', 'f', 'e'],
    ]);
    // One component with two loops through `a`: the shortest is shown.
    assert.deepEqual(importCycles(graphOf({ a: ['b', 'x'], b: ['c'], c: ['a'], x: ['a'] })), [['a', 'x', 'a']]);
  });
});
