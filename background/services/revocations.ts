/**
 * Revocations at services. Revoking a service session deletes it locally at once and queues the
 * service's logout in IndexedDB (one transaction), then tries to deliver it. Until the service
 * confirms, delivery is retried with backoff on a `chrome.alarms` alarm (first retry within
 * 30 s, then at most every 5 minutes) and at every worker start.
 * @module
 */
import { RequestType, encodeRevokeSession } from '../../src/wire/bodies.js';
import { encodeEnvelope } from '../../src/wire/envelope.js';
import { uuidFromString } from '../../src/wire/uuidv7.js';
import type { KeyholdDb, RevocationRecord } from '../db.js';
import { signSessionPayload } from '../signer/payload-signer.js';
import { ServiceClient, ServiceNotAnswering } from './client.js';
import { member, serviceMessage, type HttpAnswer, type HttpClient } from './http.js';

export const LOGOUT_PATH = '/api/v1/logout';
export const REVOCATION_ALARM = 'keyhold-revocations';
export const FIRST_RETRY_MS = 20_000;
export const MAX_RETRY_MS = 5 * 60_000;

export type DeliveryOutcome = 'revoked' | 'pending';

/** The retry delay after `attempts` failed attempts: 20 s, 40 s, 80 s, … at most 5 minutes. */
export const retryDelay = (attempts: number): number => Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);

export interface RevocationDeps {
  db: KeyholdDb;
  http: HttpClient;
  now: () => number;
  /** Arms the delivery alarm for `when` (ms since the epoch), or clears it for `undefined`. */
  schedule: (when: number | undefined) => void;
  /** Told when the set of pending revocations changed (badge, popup). */
  changed: () => void;
}

/** The logout answer of `spec/service.md` §7.3. */
const isConfirmation = (a: HttpAnswer): boolean =>
  a.status >= 200 && a.status < 300 && member(a.body, 'session_revoked') === true;

/** A 4xx in the service's error shape `{error: {code}}` (spec/service.md §6). */
const isServiceRefusal = (a: HttpAnswer): boolean =>
  a.status >= 400 && a.status < 500 && typeof member(a.body, 'error', 'code') === 'string';

export class Revocations {
  /** Deliveries under way in this worker, so an alarm and a request never send the same one twice. */
  readonly #inFlight = new Map<string, Promise<DeliveryOutcome>>();

  constructor(private readonly deps: RevocationDeps) {}

  /** Every revocation still to be delivered. */
  pending(): Promise<RevocationRecord[]> {
    return this.deps.db.getAll('revocations');
  }

  /** Delivers one queued revocation now (or joins a delivery under way). */
  deliver(sessionId: string): Promise<DeliveryOutcome> {
    let run = this.#inFlight.get(sessionId);
    if (!run) {
      run = this.#deliver(sessionId).finally(() => this.#inFlight.delete(sessionId));
      this.#inFlight.set(sessionId, run);
    }
    return run;
  }

  /** Delivers every revocation whose time has come, then re-arms the alarm. */
  async deliverDue(): Promise<void> {
    const now = this.deps.now();
    const due = (await this.pending()).filter((r) => r.nextAttemptAt <= now);
    await Promise.all(due.map((r) => this.deliver(r.sessionId)));
    await this.#reschedule();
  }

  /** Delivers every revocation now, due or not: what a worker start does. */
  async deliverAll(): Promise<void> {
    await Promise.all((await this.pending()).map((r) => this.deliver(r.sessionId)));
    await this.#reschedule();
  }

  async #deliver(sessionId: string): Promise<DeliveryOutcome> {
    const record = await this.deps.db.get('revocations', sessionId);
    if (!record) return 'revoked';
    let failure: string;
    try {
      // A fresh signature per attempt: the auth window of an old one would have closed.
      const { payload, signature } = await signSessionPayload(record.privateKey, RequestType.RevokeSession, encodeRevokeSession(uuidFromString(record.serviceSessionId ?? sessionId)), this.deps.now());
      const answer = await new ServiceClient(this.deps.http, record.baseUrl).post(LOGOUT_PATH, encodeEnvelope(payload, record.publicKey, signature), record.deviceKey);
      // Done when the service confirms (2xx `{session_revoked: true}`), or refuses with its own
      // error (4xx `{error: {code}}`: the session is unknown, expired or already revoked there,
      // so retrying cannot help). Anything else — a captive portal's 200 page, a proxy's 404, a
      // redirect, an empty body — did not reach the service: it stays queued.
      if (isConfirmation(answer) || isServiceRefusal(answer)) {
        await this.deps.db.delete('revocations', sessionId);
        this.deps.changed();
        return 'revoked';
      }
      failure = answer.status >= 500 ? serviceMessage(answer) : `${serviceMessage(answer)}, not the service's answer`;
    } catch (err) {
      failure = err instanceof ServiceNotAnswering ? `unreachable (${err.reason})` : 'internal error';
    }
    const attempts = record.attempts + 1;
    await this.deps.db.put('revocations', { ...record, attempts, nextAttemptAt: this.deps.now() + retryDelay(attempts), lastError: failure });
    await this.#reschedule();
    this.deps.changed();
    return 'pending';
  }

  async #reschedule(): Promise<void> {
    const cursor = await this.deps.db.transaction('revocations').store.index('by-next-attempt').openCursor();
    this.deps.schedule(cursor?.value.nextAttemptAt);
  }
}
