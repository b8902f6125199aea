/**
 * Counts what issue 13 asks to halve in product code: `as` casts (`as const` excluded), non-null
 * `!` assertions, and `any` keywords, by the TypeScript AST (so no comment or string counts).
 * Product code: the tracked .ts/.tsx files of src/, background/, popup/, service/ and
 * packages/*\/src/, tests (`*.test.ts`) and declarations (`.d.ts`) aside. `-v` lists each one.
 * Usage: `npx tsx scripts/count-casts.ts [-v]`
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const files = execFileSync('git', ['ls-files', 'src', 'background', 'popup', 'service', 'packages'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith('.d.ts') && (!f.startsWith('packages/') || /^packages\/[^/]+\/src\//.test(f)));
const verbose = process.argv.includes('-v');
const counts = { as: 0, nonNull: 0, any: 0 };
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const at = (n: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node): void => {
    if ((ts.isAsExpression(n) && n.type.getText(source) !== 'const') || ts.isTypeAssertionExpression(n)) {
      counts.as++;
      if (verbose) console.log('as', at(n), n.getText(source).slice(0, 100).replace(/\s+/g, ' '));
    } else if (ts.isNonNullExpression(n)) {
      counts.nonNull++;
      if (verbose) console.log('!', at(n), n.getText(source).slice(0, 100));
    } else if (n.kind === ts.SyntaxKind.AnyKeyword) {
      counts.any++;
      if (verbose) console.log('any', at(n));
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
}
console.log(JSON.stringify({ files: files.length, ...counts }));
