/**
 * Prints the fault suite's table from the counts its tests appended (`counts.ts`), and fails
 * when a request or a key was lost. `--reset` empties the counts before a run.
 * Usage: `tsx test/faults/report.ts --reset`, then the tests, then `tsx test/faults/report.ts`.
 * @module
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { FULL, REPORT_FILE, type Counts, type CountsLine } from './counts.js';

if (process.argv.includes('--reset')) {
  rmSync(REPORT_FILE, { force: true });
  process.exit(0);
}

if (!existsSync(REPORT_FILE)) {
  console.error(`No fault counts at ${REPORT_FILE}: did the fault tests run?`);
  process.exit(1);
}

const lines: CountsLine[] = readFileSync(REPORT_FILE, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as CountsLine);

const sum = (k: keyof Counts) => lines.reduce((n, l) => n + (l[k] ?? 0), 0);
const max = (k: keyof Counts) => lines.reduce((n, l) => Math.max(n, l[k] ?? 0), 0);
const n = (x: number) => x.toLocaleString('en-US');
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

const rows: [string, string][] = [
  ['size', FULL ? 'full (FAULTS=full)' : 'CI'],
  ['load held: signatures asked', n(sum('signatures'))],
  ['load held: signatures verified', n(sum('verified'))],
  ['ended with 4900 (clean failure)', n(sum('disconnected'))],
  ['faults injected: worker kills', n(sum('kills'))],
  ['faults injected: browser restarts', n(sum('restarts'))],
  ['faults injected: storage failures', n(sum('storageFailures'))],
  ['bad inputs tried', n(sum('badInputs'))],
  ['hostile service answers', n(sum('hostileServiceAnswers'))],
  ['revocations delivered after restart', n(sum('revocationsDelivered'))],
  ['revocations lost (must be 0)', n(sum('revocationsLost'))],
  ['requests lost (must be 0)', n(sum('requestsLost'))],
  ['keys lost (must be 0)', n(sum('keysLost'))],
  ['worker heap peak under load', max('peakWorkerHeapBytes') ? mib(max('peakWorkerHeapBytes')) : 'not measured'],
  ['hung keyhold_send from one page', n(sum('hungSends'))],
  ['worker heap growth while they hung', max('hungSendsHeapGrowthBytes') ? mib(max('hungSendsHeapGrowthBytes')) : 'not measured'],
];
const w = Math.max(...rows.map(([k]) => k.length));
const v = Math.max(...rows.map(([, x]) => x.length));
const rule = `+-${'-'.repeat(w)}-+-${'-'.repeat(v)}-+`;
console.log('\nKeyhold fault suite');
console.log(rule);
for (const [k, x] of rows) console.log(`| ${k.padEnd(w)} | ${x.padStart(v)} |`);
console.log(rule);
console.log(`(${lines.length} tests reported; per test: ${REPORT_FILE})`);

const lost = sum('requestsLost') + sum('keysLost') + sum('revocationsLost');
if (lost > 0) {
  console.error(`FAIL: ${sum('requestsLost')} requests, ${sum('keysLost')} keys and ${sum('revocationsLost')} revocations lost.`);
  process.exit(1);
}
