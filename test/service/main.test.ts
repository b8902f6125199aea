/**
 * The command line: `tsx service/main.ts --port 0 --test-hooks` prints its URL, serves, logs to
 * stdout, and stops on SIGTERM.
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('service/main.ts --port 0 prints "listening on http://127.0.0.1:PORT" and serves', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/main.ts', '--port', '0', '--test-hooks'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" line; got: ${out}`)), 20_000);
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(out);
        if (m !== null) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    assert.ok(Number(new URL(url).port) > 0);
    const health = await fetch(url + '/api/v1/health');
    assert.deepEqual(await health.json(), { ok: true });
    const hook = await fetch(url + '/api/v1/_test/outage', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"on":false}' });
    assert.equal(hook.status, 200);
    await new Promise((r) => setTimeout(r, 100));
    assert.match(out, / GET \/api\/v1\/health 200 /);
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
  }
});
