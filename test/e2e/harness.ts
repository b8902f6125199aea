/**
 * End-to-end harness: serves the fixture dapp on two origins, launches Chromium with the built
 * extension from `dist/`, drives the page provider, the approval window and the worker, and
 * verifies signatures with `node:crypto` and a wire parser of its own. The parser is written
 * from `spec/` on purpose and never imports `src/wire`: it is an independent verifier.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { createPublicKey, verify } from 'node:crypto';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Frame, Page, Worker } from 'playwright-core';
import { build } from 'esbuild';
import { launchWithExtension } from '../../scripts/chromium.js';
export { onboardingPage } from '../../scripts/chromium.js';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** The built extension; `KEYHOLD_DIST` points the tests at another build. */
export const DIST = process.env.KEYHOLD_DIST ? resolve(process.env.KEYHOLD_DIST) : join(ROOT, 'dist');
export const FIXTURES = join(ROOT, 'test/fixtures');
export { CHROMIUM } from '../../scripts/chromium.js';

// ---------------------------------------------------------------------------------------------
// Fixture server

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
};

/** Extra in-memory files served beside the fixtures (e.g. a bundled bench script). */
export type Routes = Record<string, { type: string; body: string | Uint8Array }>;

export interface FixtureServer {
  port: number;
  /** The dapp on origin A. */
  urlA: string;
  /** The same dapp on origin B (same server, different host, so a different origin). */
  urlB: string;
  originA: string;
  originB: string;
  close(): Promise<void>;
}

/**
 * Serves `test/fixtures/` (and `routes`) on 127.0.0.1, port chosen by the OS. Both
 * `http://127.0.0.1` and `http://localhost` are secure contexts, so `crypto.subtle` works.
 */
export async function startServer(routes: Routes = {}): Promise<FixtureServer> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    if (route) {
      res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' });
      res.end(route.body);
      return;
    }
    const file = normalize(join(FIXTURES, decodeURIComponent(path)));
    if (!file.startsWith(FIXTURES + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    // Chromium resolves `localhost` to the loopback itself, so 127.0.0.1 serves both origins.
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  const originA = `http://127.0.0.1:${port}`;
  const originB = `http://localhost:${port}`;
  return {
    port,
    originA,
    originB,
    urlA: `${originA}/dapp.html`,
    urlB: `${originB}/dapp.html`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Browser with the extension

export interface Extension {
  context: BrowserContext;
  extensionId: string;
  /** The worker as first seen; after {@link stopWorker} use {@link runningWorker}. */
  worker: Worker;
  close(): Promise<void>;
}

/** Launches Chromium with `dist/` loaded and waits for Keyhold's service worker. */
export async function launchExtension(opts: { userDataDir?: string; extensionDir?: string; onboarding?: 'close' | 'keep' } = {}): Promise<Extension> {
  const dir = opts.extensionDir ?? DIST;
  try {
    await stat(join(dir, 'manifest.json'));
  } catch {
    throw new Error(`No built extension at ${dir}; run \`npm run build\` first.`);
  }
  try {
    const { context, extensionId, worker } = await launchWithExtension(dir, { headless: true, ...(opts.userDataDir !== undefined && { userDataDir: opts.userDataDir }), onboarding: opts.onboarding ?? 'close' });
    return { context, extensionId, worker, close: () => context.close() };
  } catch (err) {
    const missing = await missingManifestFiles(dir);
    if (missing.length === 0) throw err;
    throw new Error(`Keyhold's worker never started; the manifest names files missing from ${dir}: ${missing.join(', ')}`, {
      cause: err,
    });
  }
}

/** Files the manifest refers to that do not exist: Chromium refuses to load such an extension. */
async function missingManifestFiles(dir: string): Promise<string[]> {
  const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const named: string[] = [
    ...Object.values<string>(m.icons ?? {}),
    ...Object.values<string>(m.action?.default_icon ?? {}),
    m.action?.default_popup,
    m.background?.service_worker,
    ...(m.content_scripts ?? []).flatMap((c: { js?: string[]; css?: string[] }) => [...(c.js ?? []), ...(c.css ?? [])]),
  ].filter((f): f is string => typeof f === 'string');
  const missing: string[] = [];
  for (const f of new Set(named)) {
    try {
      await stat(join(dir, f));
    } catch {
      missing.push(f);
    }
  }
  return missing;
}

/**
 * Opens Keyhold's welcome tab (`onboarding.html`, where the vault is set up) in a new page,
 * as the popup's "Set up a master key" does.
 */
export async function openOnboarding(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/onboarding.html`);
  return page;
}

// ---------------------------------------------------------------------------------------------
// Page provider

export type RpcError = { code: number; message: string };
export type RpcOutcome<T = unknown> = { result: T; error?: undefined } | { result?: undefined; error: RpcError };

declare global {
  interface Window {
    keyhold?: { request(args: { method: string; params?: unknown }): Promise<unknown> };
  }
}

/** Opens `url` in a new tab and waits until Keyhold's provider is on `window.keyhold`. */
export async function openDapp(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.keyhold?.request === 'function', undefined, { timeout: 10_000 });
  return page;
}

/**
 * Calls `window.keyhold.request` in the page. RPC errors come back as `{error: {code, message}}`;
 * only a failure of the harness itself throws.
 */
export async function call<T = unknown>(page: Page | Frame, method: string, params?: unknown): Promise<RpcOutcome<T>> {
  return page.evaluate(
    async ({ method, params, hasParams }) => {
      try {
        const args = hasParams ? { method, params } : { method };
        return { result: await window.keyhold!.request(args) };
      } catch (e) {
        const err = e as { code?: unknown; message?: unknown };
        return { error: { code: err?.code, message: String(err?.message) } };
      }
    },
    { method, params, hasParams: params !== undefined },
  ) as Promise<RpcOutcome<T>>;
}

/** Unwraps a result, failing with the RPC error's code and message. */
export function ok<T>(outcome: RpcOutcome<T>, what = 'call'): T {
  if (outcome.error) throw new Error(`${what} failed: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.result as T;
}

// ---------------------------------------------------------------------------------------------
// Approval window

const handled = new WeakSet<Page>();
const isApproval = (p: Page) => !p.isClosed() && !handled.has(p) && p.url().includes('/approval.html');

/**
 * Waits for the next approval window not yet handled by the harness (already open, or opening),
 * marks it handled and returns it without touching it.
 */
export async function nextApprovalPage(context: BrowserContext, timeout = 10_000): Promise<Page> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const page = context.pages().find(isApproval);
    if (page) {
      handled.add(page);
      return page;
    }
    // The window's page may appear with its URL still blank; polling covers both cases.
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`No approval window appeared within ${timeout} ms`);
}

/** Waits for the next approval window and clicks its "Approve" or "Reject" button. */
export async function approveNext(context: BrowserContext, button: 'Approve' | 'Reject', opts: { acknowledge?: boolean } = {}): Promise<Page> {
  const page = await nextApprovalPage(context);
  // The second, deliberate confirmation a session at another party's service needs.
  if (opts.acknowledge) await page.getByRole('checkbox', { name: /^I trust / }).check({ timeout: 10_000 });
  await page.getByRole('button', { name: button, exact: true }).click({ timeout: 10_000 });
  return page;
}

/**
 * Waits until no approval window is open, so that a test drives the window its own request
 * opens. (A request arriving while a window closes gets a new window; see
 * test/unit/approval-window.test.ts.)
 */
export async function noApprovalWindow(context: BrowserContext, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (approvalPages(context).length > 0) {
    if (Date.now() > deadline) throw new Error('an approval window stayed open');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Bundles a TypeScript module (path from the repository root) into one script a test page loads. */
export async function bundleForPage(entry: string): Promise<string> {
  const out = await build({ entryPoints: [join(ROOT, entry)], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', minify: true, logLevel: 'warning' });
  return out.outputFiles[0]!.text;
}

/** Lets a reference service accept logins for the fixture server's two sites (spec/service.md §7.2). */
export function serveSites(service: { state: { sites: Set<string> } }, server: FixtureServer): void {
  for (const url of [server.urlA, server.urlB]) service.state.sites.add(new URL(url).origin);
}

/** Every open approval window, handled or not. */
export const approvalPages = (context: BrowserContext): Page[] =>
  context.pages().filter((p) => !p.isClosed() && p.url().includes('/approval.html'));

export interface SessionInfo {
  id: string;
  publicKey: string;
  role: string;
  subaccountIndex: number | null;
  requestTypes: number[] | null;
  label: string | null;
  createdAt: string;
  validUntil: string;
}

/** `keyhold_createSession` with the approval clicked through; throws on any RPC error. */
export async function createSession(
  context: BrowserContext,
  page: Page,
  params: Record<string, unknown>,
  opts: { acknowledge?: boolean } = {},
): Promise<SessionInfo> {
  const pending = call<SessionInfo>(page, 'keyhold_createSession', [params]);
  await approveNext(context, 'Approve', opts);
  return ok(await pending, 'keyhold_createSession');
}

// ---------------------------------------------------------------------------------------------
// Worker lifecycle

interface WorkerVersion {
  versionId: string;
  scriptURL: string;
  runningStatus: 'stopped' | 'starting' | 'running' | 'stopping';
}

/** Keyhold's running worker; after {@link stopWorker}, the new one (started by any event). */
export async function runningWorker(context: BrowserContext, extensionId: string): Promise<Worker> {
  const ours = (w: Worker) => w.url().startsWith(`chrome-extension://${extensionId}/`);
  return context.serviceWorkers().find(ours) ?? context.waitForEvent('serviceworker', { predicate: ours, timeout: 10_000 });
}

/**
 * Stops Keyhold's service worker through the DevTools protocol and waits until Chromium reports
 * it stopped. Returns whether it was running (stopping a stopped worker is a no-op).
 * @throws if no version of the extension's worker is known or it does not stop within 10 s.
 */
export async function stopWorker(context: BrowserContext, extensionId: string): Promise<{ wasRunning: boolean }> {
  const page = context.pages().find((p) => !p.isClosed()) ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  const prefix = `chrome-extension://${extensionId}/`;
  const versions = new Map<string, WorkerVersion>();
  let notify = () => {};
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: vs }: { versions: WorkerVersion[] }) => {
    for (const v of vs) if (v.scriptURL.startsWith(prefix)) versions.set(v.versionId, v);
    notify();
  });
  const until = async (pred: () => boolean, timeout: number, what: string) => {
    const deadline = Date.now() + timeout;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stopWorker: timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 100));
        notify = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  };
  try {
    await cdp.send('ServiceWorker.enable');
    await until(() => versions.size > 0, 5_000, `a worker version of ${prefix}`);
    const live = [...versions.values()].filter((v) => v.runningStatus !== 'stopped');
    for (const v of live) await cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId });
    await until(
      () => live.every((v) => versions.get(v.versionId)?.runningStatus === 'stopped'),
      10_000,
      'the worker to stop',
    );
    return { wasRunning: live.some((v) => v.runningStatus === 'running') };
  } finally {
    await cdp.send('ServiceWorker.disable').catch(() => {});
    await cdp.detach().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Independent verifier

/** DER prefix of an SPKI Ed25519 public key (RFC 8410), before the raw 32 bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes strict standard base64 (padding required, no URL alphabet, no whitespace). */
export function fromBase64(s: unknown, what = 'value'): Uint8Array {
  if (typeof s !== 'string' || !STD_BASE64.test(s)) throw new TypeError(`${what} is not standard base64: ${String(s).slice(0, 40)}`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export const toBase64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/**
 * Verifies an Ed25519 signature with `node:crypto` only.
 * @returns false on a wrong signature; throws on malformed input (wrong key or signature length).
 */
export function verifyEd25519(publicKeyB64: string, payloadB64: string, signatureB64: string): boolean {
  const raw = fromBase64(publicKeyB64, 'publicKey');
  const sig = fromBase64(signatureB64, 'signature');
  if (raw.length !== 32) throw new RangeError(`publicKey must be 32 bytes, got ${raw.length}`);
  if (sig.length !== 64) throw new RangeError(`signature must be 64 bytes, got ${sig.length}`);
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return verify(null, fromBase64(payloadB64, 'payload'), key, sig);
}

export interface ParsedPayload {
  version: number;
  signatureType: number;
  requestType: number;
  bodyLength: number;
  requestId: Uint8Array;
  /** The request id as a canonical lower-case UUID string. */
  requestIdUuid: string;
  body: Uint8Array;
  issuedAtMs: number;
  expiresAtMs: number;
}

const HEADER = 8;
const REQUEST_ID = 16;
const AUTH = 16;

/**
 * Parses a signed payload: Header(8) | RequestId(16) | Body | Auth(16), little-endian.
 * @throws RangeError if the length does not match the header's body length.
 */
export function parsePayload(bytes: Uint8Array): ParsedPayload {
  if (bytes.length < HEADER + REQUEST_ID + AUTH) throw new RangeError(`payload too short: ${bytes.length}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bodyLength = dv.getUint32(4, true);
  const expected = HEADER + REQUEST_ID + bodyLength + AUTH;
  if (bytes.length !== expected) throw new RangeError(`payload is ${bytes.length} bytes, header implies ${expected}`);
  const requestId = bytes.slice(HEADER, HEADER + REQUEST_ID);
  const hex = Buffer.from(requestId).toString('hex');
  const authAt = HEADER + REQUEST_ID + bodyLength;
  return {
    version: dv.getUint8(0),
    signatureType: dv.getUint8(1),
    requestType: dv.getUint16(2, true),
    bodyLength,
    requestId,
    requestIdUuid: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    body: bytes.slice(HEADER + REQUEST_ID, authAt),
    issuedAtMs: Number(dv.getBigUint64(authAt, true)),
    expiresAtMs: Number(dv.getBigUint64(authAt + 8, true)),
  };
}

export interface ParsedFrame {
  payload: Uint8Array;
  publicKey: Uint8Array;
  signature: Uint8Array;
}

/**
 * Parses a binary frame: payload_length u32 LE | payload | pk_len u8 | pk | sig_len u8 | sig.
 * @throws RangeError on a truncated frame or trailing bytes.
 */
export function parseFrame(bytes: Uint8Array): ParsedFrame {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const take = (n: number, what: string) => {
    if (at + n > bytes.length) throw new RangeError(`frame truncated in ${what}`);
    const out = bytes.slice(at, at + n);
    at += n;
    return out;
  };
  if (bytes.length < 4) throw new RangeError('frame truncated in payload_length');
  const payloadLength = dv.getUint32(0, true);
  at = 4;
  const payload = take(payloadLength, 'payload');
  const publicKey = take(take(1, 'public_key_length')[0]!, 'public_key');
  const signature = take(take(1, 'signature_length')[0]!, 'signature');
  if (at !== bytes.length) throw new RangeError(`frame has ${bytes.length - at} trailing bytes`);
  return { payload, publicKey, signature };
}

/** Version nibble (high 4 bits of byte 6) and RFC 9562 variant (top 2 bits of byte 8). */
export function uuidVersion(id: Uint8Array): { version: number; variant: number } {
  return { version: id[6]! >> 4, variant: id[8]! >> 6 };
}

/** Milliseconds since the epoch in the first 48 bits of a UUIDv7. */
export function uuidv7Millis(id: Uint8Array): number {
  let ms = 0;
  for (let i = 0; i < 6; i++) ms = ms * 256 + id[i]!;
  return ms;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
