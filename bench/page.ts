/**
 * The bench page's script, bundled by `bench/run.ts` with esbuild and served to the bench page,
 * so Chromium (Playwright) and Firefox (Puppeteer) drive exactly the same loops:
 * - what a page could do on its own, signing the same kind of payload Keyhold signs
 *   (Header | UUIDv7 | 64-byte body | Auth) with @noble/curves, and with WebCrypto Ed25519;
 * - Keyhold through its provider (`window.keyhold`): sequential, concurrent, base64 or bytes;
 * - the do-nothing floor and the signing floor extensions, loaded beside Keyhold.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';

/** Builds a payload shaped like Keyhold's: Header(8) | RequestId(16) | Body | Auth(16). */
function buildPayload(requestType: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 16 + body.length + 16);
  const dv = new DataView(out.buffer);
  dv.setUint8(0, 1);
  dv.setUint8(1, 1);
  dv.setUint16(2, requestType, true);
  dv.setUint32(4, body.length, true);
  const now = Date.now();
  const id = out.subarray(8, 24);
  crypto.getRandomValues(id);
  dv.setUint16(8, Math.floor(now / 2 ** 32), false);
  dv.setUint32(10, now >>> 0, false);
  id[6] = (id[6]! & 0x0f) | 0x70;
  id[8] = (id[8]! & 0x3f) | 0x80;
  out.set(body, 24);
  const at = 24 + body.length;
  dv.setBigUint64(at, BigInt(now), true);
  dv.setBigUint64(at + 8, BigInt(now + 60_000), true);
  return out;
}

/** Times `n` @noble/curves signatures (synchronous, one after another). Returns milliseconds. */
function benchNoble(n: number, bodyLength: number): number {
  const { secretKey } = ed25519.keygen();
  const body = crypto.getRandomValues(new Uint8Array(bodyLength));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) ed25519.sign(buildPayload(1, body), secretKey);
  return performance.now() - t0;
}

/** Times `n` concurrent WebCrypto Ed25519 signatures, to all settled. Returns milliseconds. */
async function benchWebCrypto(n: number, bodyLength: number): Promise<number> {
  const { privateKey } = (await crypto.subtle.generateKey('Ed25519', false, ['sign', 'verify'])) as CryptoKeyPair;
  const body = crypto.getRandomValues(new Uint8Array(bodyLength));
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, () => crypto.subtle.sign('Ed25519', privateKey, buildPayload(1, body) as BufferSource)),
  );
  return performance.now() - t0;
}

/**
 * The messaging floor (bench/floor-extension/, loaded beside Keyhold): one round trip page →
 * content script → worker → back carrying a request shaped like a `keyhold_signRequest` batch.
 */
let floorWaiting: (() => void) | null = null;
window.addEventListener('message', (e) => {
  if (e.source === window && (e.data as { dir?: unknown } | null)?.dir === 'from-floor') floorWaiting?.();
});
const FLOOR_MESSAGE = {
  requests: [{ id: 'x.1', method: 'keyhold_signRequest', params: [{ sessionId: '01a216ad-2082-7b64-ae2a-3afd2b53fb21', requestType: 1, body: 'A'.repeat(88) }] }],
};
const floorOnce = (): Promise<void> =>
  new Promise((resolve) => {
    floorWaiting = resolve;
    window.postMessage({ dir: 'to-floor', m: FLOOR_MESSAGE }, location.origin);
  });

/** `n` sequential floor round trips; the mean in milliseconds. */
async function floorSequential(n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await floorOnce();
  return (performance.now() - t0) / n;
}

/** One floor round trip, timed (the floor's cold start after its worker was stopped). */
async function floorTimed(): Promise<number> {
  const t0 = performance.now();
  await floorOnce();
  return performance.now() - t0;
}

/**
 * The signing floor (bench/signing-floor-extension/, loaded beside Keyhold): the same hops plus
 * the least a signer must do per request (base64, payload, one WebCrypto signature). Requests go
 * as Keyhold's provider sends them: one window message per task, all of its requests in it.
 */
let signingFloorWaiting: ((responses: unknown[]) => void) | null = null;
window.addEventListener('message', (e) => {
  const data = e.data as { dir?: unknown; m?: { responses?: unknown[] } } | null;
  if (e.source === window && data?.dir === 'from-signing-floor') signingFloorWaiting?.(data.m?.responses ?? []);
});
const signingFloorRequests = (n: number, body: string) =>
  Array.from({ length: n }, (_, i) => ({ id: `s.${i}`, method: 'keyhold_signRequest', params: [{ sessionId: '01a216ad-2082-7b64-ae2a-3afd2b53fb21', requestType: 1, body }] }));
const signingFloorOnce = (requests: unknown[]): Promise<unknown[]> =>
  new Promise((resolve) => {
    signingFloorWaiting = resolve;
    window.postMessage({ dir: 'to-signing-floor', m: { requests } }, location.origin);
  });

/** `n` sequential signing-floor signatures of `body` (base64); the mean in milliseconds. */
async function signingFloorSequential(n: number, body: string): Promise<number> {
  const one = signingFloorRequests(1, body);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await signingFloorOnce(one);
  return (performance.now() - t0) / n;
}

/** `n` signing-floor signatures sent together, to the last answer; milliseconds. */
async function signingFloorConcurrent(n: number, body: string): Promise<number> {
  const requests = signingFloorRequests(n, body);
  const t0 = performance.now();
  const answered = await signingFloorOnce(requests);
  const ms = performance.now() - t0;
  if (answered.length !== n) throw new Error(`the signing floor answered ${answered.length} of ${n}`);
  return ms;
}

type Provider = { request(args: { method: string; params?: unknown }): Promise<unknown> };
const keyhold = (): Provider => {
  const provider = (window as { keyhold?: Provider }).keyhold;
  if (!provider) throw new Error('Keyhold is not on this page');
  return provider;
};
const signParams = (sessionId: string, body: string | Uint8Array) =>
  [typeof body === 'string' ? { sessionId, requestType: 1, body } : { sessionId, requestType: 1, body, encoding: 'bytes' }];
const bytesOf = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** `n` sequential Keyhold signatures of `body` (base64); each one's duration in milliseconds. */
async function keyholdSequential(sessionId: string, n: number, body: string): Promise<number[]> {
  const times = new Array<number>(n);
  const params = signParams(sessionId, body);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await keyhold().request({ method: 'keyhold_signRequest', params });
    times[i] = performance.now() - t0;
  }
  return times;
}

/** `n` concurrent Keyhold signatures; milliseconds until all settled, and how many failed. */
async function keyholdConcurrent(sessionId: string, n: number, body: string): Promise<{ ms: number; failed: number }> {
  const t0 = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: n }, () => keyhold().request({ method: 'keyhold_signRequest', params: signParams(sessionId, body) })));
  return { ms: performance.now() - t0, failed: settled.filter((s) => s.status === 'rejected').length };
}

/** The same sequentially with bytes (a Uint8Array body, `encoding: 'bytes'`): the mean in ms, NaN if refused. */
async function keyholdSequentialBytes(sessionId: string, n: number, body: string): Promise<number> {
  const params = signParams(sessionId, bytesOf(body));
  const t0 = performance.now();
  try {
    for (let i = 0; i < n; i++) await keyhold().request({ method: 'keyhold_signRequest', params });
  } catch {
    return NaN; // a build without bytes (before issue 12)
  }
  return (performance.now() - t0) / n;
}

/** The same concurrently with bytes: milliseconds to the last answer, NaN if refused. */
async function keyholdConcurrentBytes(sessionId: string, n: number, body: string): Promise<number> {
  const bytes = bytesOf(body);
  const t0 = performance.now();
  try {
    await Promise.all(Array.from({ length: n }, () => keyhold().request({ method: 'keyhold_signRequest', params: signParams(sessionId, bytes) })));
  } catch {
    return NaN; // a build without bytes (before issue 12)
  }
  return performance.now() - t0;
}

/** One Keyhold signature, timed (after a worker stop: the cold start), with its error if it failed. */
async function keyholdOnce(sessionId: string, body: string): Promise<{ ms: number; error?: string }> {
  const t0 = performance.now();
  try {
    await keyhold().request({ method: 'keyhold_signRequest', params: signParams(sessionId, body) });
    return { ms: performance.now() - t0 };
  } catch (e) {
    return { ms: performance.now() - t0, error: String((e as Error).message) };
  }
}

declare global {
  interface Window {
    keyholdBench: {
      benchNoble: typeof benchNoble;
      benchWebCrypto: typeof benchWebCrypto;
      floorSequential: typeof floorSequential;
      floorTimed: typeof floorTimed;
      signingFloorSequential: typeof signingFloorSequential;
      signingFloorConcurrent: typeof signingFloorConcurrent;
      keyholdSequential: typeof keyholdSequential;
      keyholdConcurrent: typeof keyholdConcurrent;
      keyholdSequentialBytes: typeof keyholdSequentialBytes;
      keyholdConcurrentBytes: typeof keyholdConcurrentBytes;
      keyholdOnce: typeof keyholdOnce;
    };
  }
}
window.keyholdBench = {
  benchNoble,
  benchWebCrypto,
  floorSequential,
  floorTimed,
  signingFloorSequential,
  signingFloorConcurrent,
  keyholdSequential,
  keyholdConcurrent,
  keyholdSequentialBytes,
  keyholdConcurrentBytes,
  keyholdOnce,
};
