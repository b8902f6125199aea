/**
 * The bench's verdict in words: each figure beside its goal, whether it is met, and the floor it
 * is measured against (what the same machine does without Keyhold, in the same run). Pure, so a
 * unit test covers the judging (test/unit/bench-table.test.ts).
 * @module
 */

/** A goal: the figure compared with a limit, `'<='` (at most) or `'>='` (at least). */
export interface Goal {
  op: '<=' | '>=';
  limit: number;
  /** The goal in words, e.g. "≥ 0.8× in-page WebCrypto". */
  text: string;
}

export interface Figure {
  /** What was measured, in words. */
  name: string;
  /** The figure as judged against the goal (a ratio, an overhead in ms, …). */
  value: number;
  /** The figure in words as printed, e.g. "13,661/s = 0.48×". */
  shown: string;
  goal?: Goal;
  /** What it is measured against, in words (the floor), or "" when it stands alone. */
  floor?: string;
}

export type Verdict = 'met' | 'NOT met' | '—';

/** Whether `value` meets `goal`; a NaN figure (not measured) never does. */
export function meets(value: number, goal: Goal): boolean {
  if (!Number.isFinite(value)) return false;
  return goal.op === '<=' ? value <= goal.limit : value >= goal.limit;
}

export const verdict = (f: Figure): Verdict => (f.goal ? (meets(f.value, f.goal) ? 'met' : 'NOT met') : '—');

/** Median, and the min–max in words, of samples (ascending copy; the input is not touched). */
export function spread(xs: number[], digits = 1, unit = ' ms'): { median: number; text: string; range: string } {
  if (xs.length === 0) return { median: NaN, text: 'not measured', range: 'not measured' };
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  const range = `min–max ${s[0]!.toFixed(digits)}–${s[s.length - 1]!.toFixed(digits)}${unit}, n=${s.length}`;
  return { median, text: `median ${median.toFixed(digits)}${unit} (${range})`, range };
}

/** A Markdown table (readable as plain text too) with one row per figure, and a count of misses. */
export function formatTable(title: string, figures: Figure[]): string {
  const rows = figures.map((f) => [f.name, f.shown, f.goal?.text ?? '—', verdict(f), f.floor || '—']);
  const header = ['figure', 'measured', 'goal', 'met?', 'measured against (floor)'];
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const lines = [
    `## ${title}`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  const judged = figures.filter((f) => f.goal);
  const missed = judged.filter((f) => verdict(f) === 'NOT met');
  lines.push('', missed.length ? `${judged.length - missed.length} of ${judged.length} goals met; missed: ${missed.map((f) => f.name).join('; ')}.` : `All ${judged.length} goals met.`);
  return lines.join('\n');
}
