/**
 * The two packages consumed as a stranger would (issue 11 §4): `npm pack` of each, installed
 * from the tarballs into a scratch project outside the repository; a consumer of each
 * type-checked with `tsc --strict` (declarations included) and bundled with esbuild; then run —
 * the client in a page against the built extension in Chromium, talking to a tiny service of
 * the test's own built on the packed verifier, which accepts what Keyhold signs and refuses
 * tampered, expired, replayed and wrong-audience requests. The README's two quick starts run
 * exactly as written.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { startService, type RunningService } from '../../service/server.js';
import { MasterKey, SessionKey, loginFor, orderPayload, uuidv7 } from '../service/helpers.js';
import { ROOT, approvalPages, bundleForPage, launchExtension, openDapp, startServer, type Extension, type FixtureServer } from './harness.js';

const run = promisify(execFile);
const FIXTURES = join(ROOT, 'test/fixtures/packages');

let scratch: string;
let ext: Extension;
let server: FixtureServer;
const children: ChildProcess[] = [];

/** The README's fenced `ts` block under `heading`. */
async function quickStart(heading: string): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `README has "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at))!;
  return block[1]!;
}

/** Bundles a scratch-project file with esbuild, resolving packages from the scratch project. */
async function bundle(entry: string, platform: 'browser' | 'node'): Promise<string> {
  const out = join(scratch, 'out', entry.replace(/\.ts$/, '.js'));
  await build({ absWorkingDir: scratch, entryPoints: [join(scratch, 'src', entry)], outfile: out, bundle: true, format: 'esm', platform, target: 'es2022', logLevel: 'warning' });
  return out;
}

/** Starts a bundled Node service; resolves its origin from its `listening <origin>` line. */
function startNode(file: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = /listening (\S+)/.exec(seen);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Approves every Keyhold window that opens until `work` settles. */
async function approvingAll<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => (done = true));
  const clicker = (async () => {
    while (!done) {
      for (const page of approvalPages(ext.context)) {
        await page.getByRole('button', { name: 'Approve', exact: true }).click({ timeout: 2_000 }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const result = await settled;
  await clicker;
  return result;
}

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'keyhold-consumer-'));
  const tarballs = join(scratch, 'tarballs');
  await mkdir(tarballs);
  for (const name of ['client', 'verify']) {
    await run('npm', ['pack', '--pack-destination', tarballs], { cwd: join(ROOT, 'packages', name) });
  }
  const packed = (await readdir(tarballs)).sort();
  assert.deepEqual(packed, ['keyhold-client-0.1.0.tgz', 'keyhold-verify-0.1.0.tgz']);
  await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'keyhold-consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packed.map((t) => join(tarballs, t))], { cwd: scratch });
  await mkdir(join(scratch, 'src'));
  await cp(join(FIXTURES, 'consumer-client.ts'), join(scratch, 'src/consumer-client.ts'));
  await cp(join(FIXTURES, 'consumer-verify.ts'), join(scratch, 'src/consumer-verify.ts'));
  await writeFile(join(scratch, 'src/quickstart-dapp.ts'), await quickStart('### Quick start for dapp developers'));
  await writeFile(join(scratch, 'src/quickstart-service.ts'), await quickStart('### Quick start for service developers'));
  await writeFile(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'],
        types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')], skipLibCheck: false, isolatedModules: true,
      },
      include: ['src'],
    }),
  );
  ext = await launchExtension();
  server = await startServer({
    '/wallet.js': { type: 'text/javascript', body: await bundleForPage('test/fixtures/packages/wallet.ts') },
  });
});

after(async () => {
  for (const child of children) child.kill();
  await ext?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

type Refusal = { code: number | null; message: string };
/** What consumer-client.ts's `run` answers. */
interface RunResult {
  typed: { localId: string; listed: number; localRevoked: boolean; wrongCodes: number[] };
  local: { publicKeyBytes: number; payloadBody: string; envelopeKey: boolean; frameBytes: number; refused: Refusal };
  session: { id: string; status: string; publicKey: string; loginMessage: string };
  order: { status: number; body: { session_id?: string } };
  envelopes: Array<{ payload: string; public_key: string; signature: string }>;
  wrongAudience: Refusal;
  pending: string;
  sessionId: string;
}

describe('the packed packages, consumed outside the workspace', () => {
  test('tsc --strict type-checks the consumers and quick starts against the installed tarballs', async () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const { stdout } = await run(process.execPath, [tsc, '-p', scratch]).catch((e: { stdout: string }) => ({ stdout: `FAILED\n${e.stdout}` }));
    assert.equal(stdout.trim(), '', stdout);
    const installed = JSON.parse(await readFile(join(scratch, 'node_modules/@keyhold/client/package.json'), 'utf8')) as { dependencies?: object };
    assert.equal(installed.dependencies, undefined, '@keyhold/client has no runtime dependencies');
  });

  test('the client in a page against the built extension; the verifier service accepts what Keyhold signs and refuses the rest', async () => {
    const page = await openDapp(ext.context, server.urlA);
    const clientJs = await readFile(await bundle('consumer-client.ts', 'browser'), 'utf8');
    const verifyJs = await bundle('consumer-verify.ts', 'node');
    const serviceUrl = await startNode(verifyJs, { SITE: server.originA });
    const elsewhereUrl = await startNode(verifyJs, { SITE: server.originA, AUDIENCE: 'https://api.elsewhere.example' });
    await page.addScriptTag({ url: '/wallet.js' });
    await page.addScriptTag({ content: clientJs, type: 'module' });
    await page.waitForFunction(() => 'consumer' in window);
    const r = await approvingAll(
      page.evaluate((urls) => (window as unknown as { consumer: { run(u: typeof urls): Promise<RunResult> } }).consumer.run(urls), { serviceUrl, elsewhereUrl }),
    );
    assert.equal(r.typed.localRevoked, true);
    assert.deepEqual(r.typed.wrongCodes, [4200, -32602], 'the calls that do not compile are refused at run time too');
    assert.ok(r.typed.listed >= 1);
    assert.deepEqual(r.local.refused, { code: 4100, message: r.local.refused.message });
    assert.equal(r.local.payloadBody, 'héllo', 'a string body is signed as its UTF-8');
    assert.equal(r.local.envelopeKey, true);
    assert.equal(r.local.publicKeyBytes, 32);
    assert.ok(r.local.frameBytes > 40 + 3);
    assert.equal(r.session.status, 'active');
    assert.match(r.session.loginMessage, /wants you to sign in with your Ethereum account/);
    assert.equal(r.order.status, 200, JSON.stringify(r.order.body));
    assert.equal(r.order.body.session_id, r.session.id);
    assert.equal(r.pending, 'pending');
    assert.equal(r.wrongAudience.code, 4100, JSON.stringify(r.wrongAudience));
    assert.match(r.wrongAudience.message, /wrong_audience|not for this service/);

    const post = (envelope: unknown) =>
      fetch(`${serviceUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope) }).then(async (res) => ({
        status: res.status,
        code: ((await res.json()) as { error?: { code: string } }).error?.code,
      }));
    const [first, second, third] = r.envelopes;
    assert.deepEqual(await post(first), { status: 200, code: undefined }, 'what Keyhold signed is accepted');
    assert.deepEqual(await post(first), { status: 409, code: 'replayed_request' }, 'replayed');
    const tampered = Buffer.from(second!.payload, 'base64');
    tampered[30] = tampered[30]! ^ 1;
    assert.deepEqual(await post({ ...second, payload: tampered.toString('base64') }), { status: 401, code: 'bad_signature' }, 'tampered');
    await fetch(`${serviceUrl}/_test/clock`, { method: 'POST', body: JSON.stringify({ offsetMs: 120_000 }) });
    assert.deepEqual(await post(third), { status: 401, code: 'auth_expired' }, 'expired');
    await fetch(`${serviceUrl}/_test/clock`, { method: 'POST', body: JSON.stringify({ offsetMs: 0 }) });
    assert.deepEqual(await post(second), { status: 200, code: undefined }, 'the untampered one still passes');

    const revoked = await page.evaluate((id) => (window as unknown as { consumer: { revoke(id: string): Promise<unknown> } }).consumer.revoke(id), r.sessionId);
    assert.deepEqual(revoked, { revoked: true, service: 'revoked' }, "the logout reached the test's service");
    assert.deepEqual(await post(third), { status: 401, code: 'unknown_session' }, 'logged out');
    await page.close();
  });

  test('the dapp quick start runs as written (in a page of the reference service, with a wallet at window.ethereum)', async () => {
    const pub = join(scratch, 'public');
    await mkdir(pub, { recursive: true });
    await cp(await bundle('quickstart-dapp.ts', 'browser'), join(pub, 'quickstart.js'));
    await writeFile(join(pub, 'wallet.js'), await bundleForPage('test/fixtures/packages/wallet.ts'));
    await writeFile(join(pub, 'index.html'), '<!doctype html><title>quick start</title><script src="wallet.js"></script><script type="module" src="quickstart.js"></script>');
    let service: RunningService | undefined;
    const page = await ext.context.newPage();
    try {
      service = await startService({ publicDir: pub });
      const logged = new Promise<string>((resolve) => page.on('console', (m) => (m.text().startsWith('200') ? resolve(m.text()) : undefined)));
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${service.url}/`);
      const line = await approvingAll(Promise.race([logged, new Promise<string>((_, no) => setTimeout(() => no(new Error(`no order logged; page errors: ${errors.join('; ')}`)), 60_000))]));
      assert.match(line, /^200 /);
      const rows = [...service.state.sessions.values()];
      assert.equal(rows.length, 1, 'the quick start logged one session in');
    } finally {
      await page.close();
      await service?.close();
    }
  });

  test('the service quick start runs as written: a login and an order signed as Keyhold signs them are accepted, a replay and an unknown key are not', async () => {
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const file = await bundle('quickstart-service.ts', 'node');
    const child = spawn(process.execPath, [file], { env: { ...process.env, ORIGIN: origin }, stdio: 'inherit' });
    children.push(child);
    const post = async (path: string, body: unknown) => {
      for (let i = 0; ; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          return { status: res.status, json: (await res.json()) as { device_key: string; error: { code: string } } };
        } catch (err) {
          if (i > 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const master = new MasterKey();
    const key = new SessionKey();
    const id = uuidv7();
    const now = Date.now();
    const login = await post('/api/v1/login', master.sign(loginFor({ url: origin, now } as Parameters<typeof loginFor>[0], master, key, id)));
    assert.equal(login.status, 200, JSON.stringify(login.json));
    assert.equal(Buffer.from(login.json.device_key, 'base64').length, 32);
    const order = key.sign(orderPayload(now));
    assert.equal((await post('/api/v1/orders', order)).status, 200);
    const replay = await post('/api/v1/orders', order);
    assert.deepEqual([replay.status, replay.json.error.code], [409, 'replayed_request']);
    const stranger = await post('/api/v1/orders', new SessionKey().sign(orderPayload(now)));
    assert.deepEqual([stranger.status, stranger.json.error.code], [401, 'unknown_session']);
  });
});
