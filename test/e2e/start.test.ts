/**
 * `npm start` on a machine with no display (issue 14): it says so and plays the headless story;
 * each step's log line names its screenshot, and the screenshots are cropped to the windows they
 * show (the approval window 400×640, the toolbar popup 360×560), the popup's showing the session
 * its line describes (start.ts refuses to save a screenshot that would not show it).
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './harness.js';

/** A PNG's width and height, from its IHDR chunk. */
async function pngSize(path: string): Promise<{ width: number; height: number }> {
  const b = await readFile(path);
  assert.equal(b.subarray(12, 16).toString('latin1'), 'IHDR', `${path} is a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('npm start with no display: says so, plays the story, and saves screenshots cropped to each window', async () => {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts'), '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, out);
  const lines = out.split('\n').filter((l) => l.startsWith('• '));
  assert.match(lines[0]!, /^• No display found .*playing the demo story by itself in headless Chromium/);
  assert.ok(lines.some((l) => /window leads with the site \(127\.0\.0\.1\) and asks in one sentence: "127\.0\.0\.1 wants to sign “Place order” requests for you for 1 hour\." .*1-approval\.png/.test(l)), out);
  assert.ok(lines.some((l) => /The toolbar popup shows the session "Demo Exchange".*3-popup\.png/.test(l)), out);
  assert.deepEqual(await pngSize(join(ROOT, 'artifacts/start/1-approval.png')), { width: 400, height: 640 });
  assert.deepEqual(await pngSize(join(ROOT, 'artifacts/start/3-popup.png')), { width: 360, height: 560 });
});
