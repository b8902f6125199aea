/**
 * The worker's start-up marks (`performance.mark`), which `npm run bench` reads after a cold
 * start to say where the time went: its script evaluated (every module, every listener), its
 * start-up done (`ready`: the database open), its first signature made. Times are from the
 * worker's time origin, its start.
 * @module
 */
export const WORKER_MARKS = {
  evaluated: 'keyhold:worker-evaluated',
  ready: 'keyhold:worker-ready',
  firstSignature: 'keyhold:first-signature',
} as const;
