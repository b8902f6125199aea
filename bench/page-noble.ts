/**
 * In-page baselines for the benchmark, bundled by `bench/run.ts` with esbuild and served to the
 * bench page: what a page could do on its own, signing the same kind of payload Keyhold signs
 * (Header | UUIDv7 | 64-byte body | Auth) with @noble/curves, and with WebCrypto Ed25519.
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

declare global {
  interface Window {
    keyholdBench: {
      benchNoble: typeof benchNoble;
      benchWebCrypto: typeof benchWebCrypto;
      floorSequential: typeof floorSequential;
      floorTimed: typeof floorTimed;
      signingFloorSequential: typeof signingFloorSequential;
      signingFloorConcurrent: typeof signingFloorConcurrent;
    };
  }
}
window.keyholdBench = { benchNoble, benchWebCrypto, floorSequential, floorTimed, signingFloorSequential, signingFloorConcurrent };
