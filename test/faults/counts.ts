/**
 * What the fault suite did, for `report.ts` to print after the run: each test appends one line
 * of counts to a JSON Lines file, so the totals survive each test file running in its own process.
 * Sizes come from here too: the CI size by default, the full size with `FAULTS=full`.
 * @module
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** `FAULTS=full npm run test:faults` runs every fault at full size; otherwise the CI size. */
export const FULL = process.env.FAULTS === 'full';

/** Picks the CI or the full size of a fault. */
export const size = (ci: number, full: number): number => (FULL ? full : ci);

/** Where the counts go; `KEYHOLD_FAULTS_REPORT` points elsewhere. */
export const REPORT_FILE = process.env.KEYHOLD_FAULTS_REPORT ?? join(tmpdir(), 'keyhold-faults', 'counts.jsonl');

export interface Counts {
  /** Signatures asked for under load or faults. */
  signatures?: number;
  /** Of those, signatures that verified with node:crypto. */
  verified?: number;
  /** Requests that ended with 4900 (allowed: retried by the relay, then failed cleanly). */
  disconnected?: number;
  /** Worker kills injected through CDP that hit a running worker. */
  kills?: number;
  /** Browser restarts on the same profile. */
  restarts?: number;
  /** Storage operations made to fail (quota, aborted transaction, failed read). */
  storageFailures?: number;
  /** Malformed, hostile or spoofed inputs tried. */
  badInputs?: number;
  /** Requests with no answer within their bound, or answered twice. Must be 0. */
  requestsLost?: number;
  /** Sessions that no longer signed with their public key afterwards. Must be 0. */
  keysLost?: number;
  /** Hostile or broken service answers the worker met (HTTP client, login, send, revoke). */
  hostileServiceAnswers?: number;
  /** Revocations owed to a service, queued across a worker kill or browser restart, then delivered. */
  revocationsDelivered?: number;
  /** Of those, revocations not delivered within their bound. Must be 0. */
  revocationsLost?: number;
  /** Highest used JS heap of the worker seen under load, bytes. */
  peakWorkerHeapBytes?: number;
  /** `keyhold_send` requests a page fired at a service that never answers. */
  hungSends?: number;
  /** Highest growth of the worker's used JS heap over its settled baseline while they hung, bytes. */
  hungSendsHeapGrowthBytes?: number;
}

export type CountsLine = Counts & { test: string };

/** Appends one test's counts. */
export function record(test: string, counts: Counts): void {
  mkdirSync(dirname(REPORT_FILE), { recursive: true });
  appendFileSync(REPORT_FILE, `${JSON.stringify({ test, ...counts } satisfies CountsLine)}\n`);
}
