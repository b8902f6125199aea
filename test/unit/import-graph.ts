/**
 * The import graph of Keyhold's product code (`src/`, `background/`, `popup/`), read with the
 * TypeScript compiler's own pre-processor, and its cycles. Type-only imports count: a type cycle
 * ties two modules together as tightly for a reader (and a refactor) as a value cycle does, and
 * esbuild's metafile, which sees only what survives type erasure, would miss it.
 * @module
 */
import ts from 'typescript';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const PRODUCT_ROOTS = ['src', 'background', 'popup'] as const;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A relative specifier (`./x.js`, `../y`) to the source file it names; undefined for a package. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(js|jsx|ts|tsx)$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Module → the modules it imports (static, `export … from`, type-only and dynamic), paths
 * relative to `root`. `extra` adds or replaces sources (path relative to `root` → text), so a
 * test can add an import without touching the tree.
 */
export function importGraph(root: string, extra: Record<string, string> = {}): Map<string, Set<string>> {
  const files = new Set(PRODUCT_ROOTS.flatMap((r) => sourceFiles(join(root, r))));
  for (const path of Object.keys(extra)) files.add(join(root, path));
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const rel = relative(root, file);
    const text = extra[rel] ?? readFileSync(file, 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const edges = new Set<string>();
    for (const { fileName } of importedFiles) {
      const target = resolveSpecifier(file, fileName);
      if (target !== undefined && files.has(target)) edges.add(relative(root, target));
    }
    graph.set(rel, edges);
  }
  return graph;
}

/**
 * Every strongly connected component of more than one module (or a module importing itself),
 * each as a cycle through its modules, sorted: Tarjan's algorithm, then one shortest cycle per
 * component for the message.
 */
export function importCycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) visit(v);
  return components.map((c) => shortestCycle(graph, new Set(c))).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** A shortest cycle inside one component, starting at its first module by name. */
function shortestCycle(graph: Map<string, Set<string>>, component: Set<string>): string[] {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
