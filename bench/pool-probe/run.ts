/**
 * A probe, not part of `npm run bench`: would signing on a pool of workers lift throughput?
 * A Chromium service worker cannot start workers, so the pool lives in an offscreen document
 * (`extension/`). Loaded beside the bench's do-nothing floor and signing floor, in interleaved
 * rounds, it times 2,000 concurrent signatures against in-page WebCrypto:
 * - the do-nothing floor echoing the 2,000 requests (what the messaging alone allows);
 * - the signing floor and the pool, the page's requests in one message and in messages of 128.
 * The README's Speed section ("Measured and not kept") gives what it printed and why Keyhold
 * does not do this. Usage: `npm run build && tsx bench/pool-probe/run.ts` (ROUNDS, N).
 * @module
 */
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, ROOT, startServer } from '../../test/e2e/harness.js';
import { chromiumArgs } from '../../scripts/chromium.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const N = Number(process.env.N ?? 2_000);
const CHUNK = 128;

const PAGE = `<!doctype html><meta charset="utf-8"><title>pool probe</title><script>
const waiting = {};
addEventListener('message', (e) => {
  if (e.source !== window || typeof e.data?.dir !== 'string') return;
  waiting[e.data.dir]?.(e.data.m);
});
const body = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(64))));
const requests = (n) => Array.from({ length: n }, (_, i) => ({ id: 's.' + i, method: 'keyhold_signRequest', params: [{ sessionId: '01a216ad-2082-7b64-ae2a-3afd2b53fb21', requestType: 1, body }] }));
/** n requests to an extension tagged 'tag', in messages of 'chunk'; per second, to the last answer. */
async function extension(tag, n, chunk) {
  const all = requests(n);
  let left = n;
  const t0 = performance.now();
  await new Promise((resolve) => {
    waiting['from-' + tag] = (m) => {
      left -= m.requests?.length ?? m.responses.length;
      if (left <= 0) resolve();
    };
    for (let i = 0; i < n; i += chunk) postMessage({ dir: 'to-' + tag, m: { requests: all.slice(i, i + chunk) } }, location.origin);
  });
  return (n / (performance.now() - t0)) * 1000;
}
let key;
async function webCrypto(n) {
  key ??= (await crypto.subtle.generateKey('Ed25519', false, ['sign'])).privateKey;
  const payload = crypto.getRandomValues(new Uint8Array(104));
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => crypto.subtle.sign('Ed25519', key, payload)));
  return (n / (performance.now() - t0)) * 1000;
}
window.probe = { extension, webCrypto };
</script>`;

type Probe = { extension(tag: string, n: number, chunk: number): Promise<number>; webCrypto(n: number): Promise<number> };
declare global {
  interface Window {
    probe: Probe;
  }
}

const server = await startServer({ '/probe.html': { type: 'text/html', body: PAGE } });
const dirs = ['bench/floor-extension', 'bench/signing-floor-extension', 'bench/pool-probe/extension'].map((d) => join(ROOT, d));
const context = await chromium.launchPersistentContext('', { executablePath: CHROMIUM, headless: true, args: chromiumArgs(dirs) });
try {
  await new Promise((r) => setTimeout(r, 1_500));
  const page = await context.newPage();
  await page.goto(`${server.originA}/probe.html`);
  const runs: Record<string, (n: number) => Promise<number>> = {
    'in-page WebCrypto': (n) => page.evaluate((n) => window.probe.webCrypto(n), n),
    'do-nothing floor (echo)': (n) => page.evaluate((n) => window.probe.extension('floor', n, n), n),
    'signing floor, one message': (n) => page.evaluate((n) => window.probe.extension('signing-floor', n, n), n),
    'pool of 2, one message': (n) => page.evaluate((n) => window.probe.extension('pool-floor', n, n), n),
    [`signing floor, messages of ${CHUNK}`]: (n) => page.evaluate(([n, c]) => window.probe.extension('signing-floor', n, c), [n, CHUNK] as const),
    [`pool of 2, messages of ${CHUNK}`]: (n) => page.evaluate(([n, c]) => window.probe.extension('pool-floor', n, c), [n, CHUNK] as const),
  };
  for (const run of Object.values(runs)) await run(N); // warm-up, and the pool's document
  const perSec: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) for (const [name, run] of Object.entries(runs)) perSec[name]!.push(await run(N));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
  const base = median(perSec['in-page WebCrypto'] ?? []);
  console.log(`${N} concurrent signatures, median of ${ROUNDS} rounds (ratio to in-page WebCrypto):`);
  for (const [name, xs] of Object.entries(perSec)) console.log(`  ${name.padEnd(30)} ${Math.round(median(xs)).toLocaleString('en')}/s = ${(median(xs) / base).toFixed(2)}×`);
} finally {
  await context.close();
  await server.close();
}
