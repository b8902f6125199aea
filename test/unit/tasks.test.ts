/**
 * `inTasks`: jobs one per task, in order, with what each job queued running before the next.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inTasks } from '../../background/platform/tasks.js';

describe('inTasks', () => {
  test('runs the first job at once and each next one in a later task, in order', async () => {
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      inTasks([
        () => {
          seen.push('job 0');
          queueMicrotask(() => seen.push('microtask of job 0'));
          setTimeout(() => seen.push('timer of job 0'), 0);
        },
        () => {
          seen.push('job 1');
          queueMicrotask(() => seen.push('microtask of job 1'));
        },
        () => {
          seen.push('job 2');
          resolve();
        },
      ]);
      seen.push('after inTasks');
    });
    await done;
    assert.deepEqual(seen.slice(0, 2), ['job 0', 'after inTasks'], 'the first job runs synchronously');
    assert.ok(seen.indexOf('microtask of job 0') < seen.indexOf('job 1'), 'job 1 runs in a later task');
    assert.ok(seen.indexOf('microtask of job 1') < seen.indexOf('job 2'));
  });

  test('no jobs and one job need no channel', () => {
    inTasks([]);
    let ran = false;
    inTasks([() => { ran = true; }]);
    assert.ok(ran);
  });
});
