/**
 * The bench's table in words (bench/table.ts): a goal is met or not by its direction and limit,
 * an unmeasured figure never meets one, spreads are median and min–max, and the table names
 * the floor and the misses.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, meets, spread, verdict, type Figure } from '../../bench/table.js';

describe('bench table', () => {
  test('at-least and at-most goals, boundaries included', () => {
    assert.equal(meets(0.8, { op: '>=', limit: 0.8, text: '' }), true);
    assert.equal(meets(0.79, { op: '>=', limit: 0.8, text: '' }), false);
    assert.equal(meets(0.05, { op: '<=', limit: 0.05, text: '' }), true);
    assert.equal(meets(0.051, { op: '<=', limit: 0.05, text: '' }), false);
  });

  test('a figure not measured (NaN) never meets its goal', () => {
    assert.equal(meets(NaN, { op: '<=', limit: 100, text: '' }), false);
    assert.equal(meets(NaN, { op: '>=', limit: 0, text: '' }), false);
  });

  test('a figure without a goal is neither met nor missed', () => {
    assert.equal(verdict({ name: 'bundle', value: 1, shown: '1 KB' }), '—');
  });

  test('spread: median of odd and even counts, min–max, input left unsorted', () => {
    const xs = [5, 1, 3];
    assert.deepEqual(spread(xs), { median: 3, text: 'median 3.0 ms (min–max 1.0–5.0 ms, n=3)', range: 'min–max 1.0–5.0 ms, n=3' });
    assert.deepEqual(xs, [5, 1, 3]);
    assert.equal(spread([4, 1, 2, 3]).median, 2.5);
    assert.equal(spread([]).text, 'not measured');
  });

  test('the table has a row per figure with goal, verdict and floor, and names the misses', () => {
    const figures: Figure[] = [
      { name: 'throughput vs WebCrypto', value: 0.5, shown: '0.50×', goal: { op: '>=', limit: 0.8, text: '≥ 0.8×' }, floor: 'in-page WebCrypto 28,000/s' },
      { name: 'cold start', value: 60, shown: '60 ms', goal: { op: '<=', limit: 65, text: '≤ floor + 10 ms' }, floor: 'do-nothing worker 55 ms' },
      { name: 'bundle', value: 70, shown: '70 KB' },
    ];
    const table = formatTable('Chromium', figures);
    const lines = table.split('\n');
    assert.ok(lines.includes('| throughput vs WebCrypto | 0.50× | ≥ 0.8× | NOT met | in-page WebCrypto 28,000/s |'), table);
    assert.ok(lines.includes('| cold start | 60 ms | ≤ floor + 10 ms | met | do-nothing worker 55 ms |'), table);
    assert.ok(lines.includes('| bundle | 70 KB | — | — | — |'), table);
    assert.match(table, /1 of 2 goals met; missed: throughput vs WebCrypto\./);
    assert.match(formatTable('x', figures.slice(1)), /All 1 goals met\./);
  });

  test('a pipe inside a cell is escaped so the row keeps its columns', () => {
    assert.match(formatTable('x', [{ name: 'a|b', value: 1, shown: '1' }]), /\| a\\\|b \| 1 \|/);
  });
});
