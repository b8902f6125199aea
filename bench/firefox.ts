/**
 * The bench's core figures in Firefox ESR: Keyhold (`dist-firefox/`) and a Firefox build of the
 * do-nothing floor extension installed side by side, in interleaved rounds: sequential latency
 * against the floor's, throughput against in-page noble and WebCrypto, and cold start against
 * the floor's. Then the signing floor extension in a Firefox session of its own, beside the
 * do-nothing floor (in Firefox each extension's content script costs the others). Firefox runs MV3
 * backgrounds as event pages, and WebDriver BiDi cannot stop one, so the bench sets the idle
 * timeout low (`extensions.background.idle.timeout`) and waits past it: the next request wakes
 * the background, as after any idle spell.
 * @module
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'puppeteer-core';
import { ROOT, type FixtureServer } from '../test/e2e/harness.js';
import { DIST_FIREFOX, approveNext, call, launchFirefox } from '../test/e2e-firefox/harness.js';
import type { CoreFigures } from './run.js';

const FLOOR_ID = 'floor@keyhold.dev';
const SIGNING_FLOOR_ID = 'signing-floor@keyhold.dev';
/** Idle time after which Firefox suspends an event page, during the bench. */
const IDLE_TIMEOUT_MS = 1_000;
/** Waited before a cold-start request: past the idle timeout, with margin. */
const COLD_WAIT_MS = 2_500;
/**
 * An answer faster than this came from a background that was still running: one that starts
 * takes 20 ms or more here even when it does nothing (the floor's fastest), a running one 1 to
 * 10 ms. Firefox sometimes keeps an event page past its idle timeout; such a sample is not a
 * cold start, so the bench waits again and measures anew (and counts it).
 */
const WARM_BELOW_MS = 15;
const COLD_TRIES = 4;

/** The run's sizes, the Chromium run's (see `firefoxFigures`). */
type Sizes = { rounds: number; sequential: number; concurrent: number; warmup: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A floor extension (bench/floor-extension/ or bench/signing-floor-extension/), with a Firefox
 * manifest (event page, gecko id), in a temporary folder.
 */
async function floorForFirefox(folder: string, worker: string, name: string, id: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keyhold-floor-firefox-'));
  for (const f of ['relay.js', worker]) await cp(join(ROOT, 'bench', folder, f), join(dir, f));
  const manifest = {
    manifest_version: 3,
    name,
    version: '1',
    background: { scripts: [worker] },
    content_scripts: [{ matches: ['http://*/*'], js: ['relay.js'], run_at: 'document_start' }],
    browser_specific_settings: { gecko: { id } },
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

export interface FirefoxRun {
  userAgent: string;
  figures: CoreFigures;
}

/**
 * Runs the rounds in Firefox. `log` names what each step times; `opts` are the Chromium run's
 * sizes, so the two read alike.
 */
export async function firefoxFigures(
  server: FixtureServer,
  log: (...args: unknown[]) => void,
  opts: Sizes & { bodyBytes: number },
): Promise<FirefoxRun> {
  const floorDir = await floorForFirefox('floor-extension', 'worker.js', 'Keyhold bench: messaging floor', FLOOR_ID);
  const signingFloorDir = await floorForFirefox('signing-floor-extension', 'signing-worker.js', 'Keyhold bench: signing floor', SIGNING_FLOOR_ID);
  const body = randomBytes(opts.bodyBytes).toString('base64');
  try {
    const keyhold = await keyholdSession(server, floorDir, body, log, opts);
    // In Firefox every extension's content script costs the others (Keyhold's throughput was
    // 10,298/s beside the do-nothing floor alone, 7,950/s with the signing floor loaded too): the
    // signing floor gets a session of its own, beside the do-nothing floor as Keyhold is.
    keyhold.figures.signingFloor = await signingFloorSession(server, signingFloorDir, floorDir, body, log, opts);
    return keyhold;
  } finally {
    await rm(floorDir, { recursive: true, force: true });
    await rm(signingFloorDir, { recursive: true, force: true });
  }
}

/** Installs the do-nothing floor beside what `browser` already has, and opens the bench page. */
async function benchPageBesideFloor(browser: Browser, floorDir: string, server: FixtureServer): Promise<Page> {
  if ((await browser.installExtension(floorDir)) !== FLOOR_ID) throw new Error('the floor extension did not install in Firefox');
  const page = await browser.newPage();
  await page.goto(`${server.originA}/bench.html`);
  await page.waitForFunction(() => typeof window.keyholdBench === 'object', { timeout: 10_000 });
  return page;
}

/** Keyhold beside the do-nothing floor: the interleaved rounds. */
async function keyholdSession(
  server: FixtureServer,
  floorDir: string,
  body: string,
  log: (...args: unknown[]) => void,
  opts: Sizes,
): Promise<FirefoxRun> {
  // Keyhold installed as the e2e tests install it, with a short idle timeout (see COLD_WAIT_MS).
  const { browser } = await launchFirefox(DIST_FIREFOX, { 'extensions.background.idle.timeout': IDLE_TIMEOUT_MS });
  try {
    const page = await benchPageBesideFloor(browser, floorDir, server);
    await page.waitForFunction(() => typeof window.keyhold?.request === 'function', { timeout: 10_000 });
    const userAgent = await page.evaluate(() => navigator.userAgent);
    const pending = call<{ id: string }>(page, 'keyhold_createSession', [{ ttlSeconds: 3600, label: 'bench' }]);
    await approveNext(browser, 'Approve');
    const created = await pending;
    if (!created.result) throw new Error(`Firefox: keyhold_createSession failed: ${JSON.stringify(created.error)}`);
    const sessionId = created.result.id;
    const rounds = await interleaved(page, sessionId, body, log, opts);
    return { userAgent, figures: rounds };
  } finally {
    await browser.close();
  }
}

/**
 * The signing floor beside the do-nothing floor, without Keyhold: per round, the do-nothing
 * floor's and the signing floor's sequential means, then the signing floor's throughput and
 * in-page WebCrypto's.
 */
async function signingFloorSession(
  server: FixtureServer,
  signingFloorDir: string,
  floorDir: string,
  body: string,
  log: (...args: unknown[]) => void,
  opts: Sizes,
): Promise<NonNullable<CoreFigures['signingFloor']>> {
  const { browser } = await launchFirefox(signingFloorDir, {}, SIGNING_FLOOR_ID);
  try {
    const page = await benchPageBesideFloor(browser, floorDir, server);
    const floorSeq = (n: number) => page.evaluate((n) => window.keyholdBench.floorSequential(n), n);
    const signingSeq = (n: number) => page.evaluate((n, body) => window.keyholdBench.signingFloorSequential(n, body), n, body);
    const signingConc = (n: number) => page.evaluate((n, body) => window.keyholdBench.signingFloorConcurrent(n, body), n, body);
    const webCrypto = (n: number) => page.evaluate((n, b) => window.keyholdBench.benchWebCrypto(n, b), n, 64);
    log(`Firefox, the signing floor's own session: warm-up, ${opts.warmup} sequential signatures and floor round trips, one concurrent batch, 500 in-page WebCrypto`);
    await signingSeq(opts.warmup);
    await floorSeq(opts.warmup);
    await signingConc(opts.concurrent);
    await webCrypto(500);
    const out: NonNullable<CoreFigures['signingFloor']> = { sequentialMeanMs: [], perSec: [], vsWebCrypto: [], ownSessionFloorMeanMs: [] };
    for (let r = 1; r <= opts.rounds; r++) {
      log(`Firefox, the signing floor's own session, round ${r}/${opts.rounds}: ${opts.sequential} sequential signatures, ${opts.sequential} floor round trips, ${opts.concurrent} concurrent signatures, ${opts.concurrent} in-page WebCrypto`);
      out.sequentialMeanMs.push(await signingSeq(opts.sequential));
      out.ownSessionFloorMeanMs!.push(await floorSeq(opts.sequential));
      const ms = await signingConc(opts.concurrent);
      const inPage = await webCrypto(opts.concurrent);
      out.perSec.push((opts.concurrent * 1000) / ms);
      out.vsWebCrypto.push(inPage / ms);
    }
    return out;
  } finally {
    await browser.close();
  }
}

async function interleaved(
  page: Page,
  sessionId: string,
  body: string,
  log: (...args: unknown[]) => void,
  opts: Sizes,
): Promise<CoreFigures> {
  // The bench page's own loops (bench/page.ts), the very ones the Chromium run drives.
  const seq = (n: number) => page.evaluate((sessionId, n, body) => window.keyholdBench.keyholdSequential(sessionId, n, body), sessionId, n, body);
  const conc = (n: number) => page.evaluate((sessionId, n, body) => window.keyholdBench.keyholdConcurrent(sessionId, n, body), sessionId, n, body);
  const concBytes = (n: number) => page.evaluate((sessionId, n, body) => window.keyholdBench.keyholdConcurrentBytes(sessionId, n, body), sessionId, n, body);
  const seqBytes = (n: number) => page.evaluate((sessionId, n, body) => window.keyholdBench.keyholdSequentialBytes(sessionId, n, body), sessionId, n, body);
  const floorSeq = (n: number) => page.evaluate((n) => window.keyholdBench.floorSequential(n), n);
  /** One timed request after an idle spell, again after another while the answer was warm. */
  const cold = async (timed: () => Promise<number>): Promise<number> => {
    for (let i = 0; i < COLD_TRIES; i++) {
      await sleep(COLD_WAIT_MS);
      const ms = await timed();
      if (ms >= WARM_BELOW_MS) return ms;
      out.coldStart.rewoken! += 1;
      log(`Firefox: an answer in ${ms} ms after ${COLD_WAIT_MS} ms idle came from a background still running; waiting again`);
    }
    throw new Error(`Firefox kept a background running through ${COLD_TRIES} idle spells`);
  };
  const oneSign = async () => {
    const t = await seq(1);
    return t[0]!;
  };

  log(`Firefox warm-up: ${opts.warmup} sequential Keyhold signatures and floor round trips, one concurrent batch, 500 in-page noble and WebCrypto`);
  await seq(opts.warmup);
  await floorSeq(opts.warmup);
  await conc(opts.concurrent);
  await page.evaluate(() => window.keyholdBench.benchNoble(500, 64));
  await page.evaluate(() => window.keyholdBench.benchWebCrypto(500, 64));

  const out: CoreFigures = {
    rounds: opts.rounds,
    sequential: { n: opts.sequential, keyholdMeanMs: [], floorMeanMs: [], overheadMs: [], keyholdP50Ms: 0, keyholdP99Ms: 0 },
    throughput: { n: opts.concurrent, keyholdPerSec: [], noblePerSec: [], webCryptoPerSec: [], vsWebCrypto: [], vsNoble: [], failed: 0 },
    coldStart: { keyholdMs: [], floorMs: [], rewoken: 0 },
    bytes: { sequentialMeanMs: [], perSec: [] },
  };
  const all: number[] = [];
  const perSec = (ms: number) => (opts.concurrent * 1000) / ms;
  for (let r = 1; r <= opts.rounds; r++) {
    log(`Firefox round ${r}/${opts.rounds}: sequential latency, ${opts.sequential} Keyhold signatures (base64, then bytes), then ${opts.sequential} floor round trips`);
    const times = await seq(opts.sequential);
    all.push(...times);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    out.bytes.sequentialMeanMs.push(await seqBytes(opts.sequential));
    const floor = await floorSeq(opts.sequential);
    out.sequential.keyholdMeanMs.push(mean);
    out.sequential.floorMeanMs.push(floor);
    out.sequential.overheadMs.push(mean - floor);

    log(`Firefox round ${r}/${opts.rounds}: throughput, ${opts.concurrent} concurrent Keyhold signatures (base64, then bytes), then in-page noble and WebCrypto`);
    const k = await conc(opts.concurrent);
    out.throughput.failed += k.failed;
    out.bytes.perSec.push(perSec(await concBytes(opts.concurrent)));
    const noble = await page.evaluate((n, b) => window.keyholdBench.benchNoble(n, b), opts.concurrent, 64);
    const webCrypto = await page.evaluate((n, b) => window.keyholdBench.benchWebCrypto(n, b), opts.concurrent, 64);
    out.throughput.keyholdPerSec.push(perSec(k.ms));
    out.throughput.noblePerSec.push(perSec(noble));
    out.throughput.webCryptoPerSec.push(perSec(webCrypto));
    out.throughput.vsWebCrypto.push(webCrypto / k.ms);
    out.throughput.vsNoble.push(noble / k.ms);

    log(`Firefox round ${r}/${opts.rounds}: cold start, ${COLD_WAIT_MS} ms idle (both backgrounds suspended), then one Keyhold signature, idle again, one floor round trip`);
    out.coldStart.keyholdMs.push(await cold(oneSign));
    out.coldStart.floorMs.push(await cold(() => page.evaluate(() => window.keyholdBench.floorTimed())));
    await seq(50);
    await floorSeq(50);
  }
  all.sort((a, b) => a - b);
  out.sequential.keyholdP50Ms = all[Math.ceil(0.5 * all.length) - 1]!;
  out.sequential.keyholdP99Ms = all[Math.ceil(0.99 * all.length) - 1]!;
  return out;
}
