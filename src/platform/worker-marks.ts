/**
 * The worker's start-up marks (`performance.mark`), which `npm run bench` reads after a cold
 * start to say where the time went: its script evaluated (every module, every listener), its
 * start-up done (`ready`: the database open), its first signature made. Times are from the
 * worker's time origin, its start. `rest`: the rest of the worker loaded and started
 * (`background/worker.ts`), which a page's signature never waits for.
 * @module
 */
export const WORKER_MARKS = {
  evaluated: 'keyhold:worker-evaluated',
  ready: 'keyhold:worker-ready',
  firstSignature: 'keyhold:first-signature',
  rest: 'keyhold:worker-rest',
} as const;

/**
 * Chromium only: the mark a start leaves for each worker chunk it imports (this prefix, then
 * the chunk's path, `chunks/NAME-HASH.js`). See `background/platform/script-loader.ts`.
 */
export const WORKER_CHUNK_MARK = 'keyhold:chunk-imported ';
