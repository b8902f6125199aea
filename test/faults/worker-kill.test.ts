/**
 * Invariant 7 under fire, in real Chromium: the worker is killed through CDP several times in
 * the middle of a burst of signatures from several tabs, origins and sessions. Every request
 * ends within its bound — with a signature that verifies or with 4900 — none is answered twice,
 * no signed request id repeats, and every key still signs afterwards with its public key.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { call, launchExtension, ok, openDapp, startServer, stopWorker, type Extension, type FixtureServer, type SessionInfo } from '../e2e/harness.js';
import { fire, inFlight, newSession, installBurst, newTally, outcomes, tally, type Envelope } from './browser.js';
import { record, size } from './counts.js';

const SIGNATURES = size(1_000, 10_000);
const KILLS = size(3, 12);
/** No request may take longer than this, kills and replays included. */
const BOUND_MS = 15_000;

let server: FixtureServer;
let ext: Extension;
before(async () => {
  server = await startServer();
  ext = await launchExtension();
});
after(async () => {
  await ext?.close();
  await server?.close();
});

describe('the worker killed in the middle of a burst', () => {
  test(`${KILLS} kills during ${SIGNATURES.toLocaleString('en-US')} signatures from 3 tabs, 2 origins, 3 sessions: every request ends in its bound, none lost or doubled, every key still signs`, async () => {
    const a1 = await openDapp(ext.context, server.urlA);
    const a2 = await openDapp(ext.context, server.urlA);
    const b1 = await openDapp(ext.context, server.urlB);
    const sA1 = await newSession(ext.context, a1, { ttlSeconds: 600, label: 'kill A1' });
    const sA2 = await newSession(ext.context, a2, { ttlSeconds: 600, label: 'kill A2' });
    const sB = await newSession(ext.context, b1, { ttlSeconds: 600, label: 'kill B' });
    // Tab A2 uses both of its origin's sessions.
    const plan: [Page, SessionInfo][] = [[a1, sA1], [a2, sA2], [a2, sA1], [b1, sB]];
    for (const p of [a1, a2, b1]) await installBurst(p);

    const chunk = Math.ceil(SIGNATURES / ((KILLS + 1) * plan.length));
    let fired = 0;
    let kills = 0;
    let hitInFlight = 0;
    for (let k = 0; k <= KILLS; k++) {
      for (const [page, s] of plan) {
        const n = Math.min(chunk, SIGNATURES - fired);
        if (n > 0) await fire(page, s.id, n, BOUND_MS);
        fired += Math.max(n, 0);
      }
      if (k === KILLS) break;
      // Kill once the worker is up and answering this round, with the rest still in flight.
      const round = Math.min(chunk * plan.length, fired);
      let open = round;
      const deadline = Date.now() + 5_000;
      while (open >= round && Date.now() < deadline) open = (await Promise.all([a1, a2, b1].map(inFlight))).reduce((x, y) => x + y, 0);
      const { wasRunning } = await stopWorker(ext.context, ext.extensionId);
      if (wasRunning) kills++;
      if (open > 0) hitInFlight++;
    }
    assert.equal(fired, SIGNATURES);

    const t = newTally();
    let answeredTwice = 0;
    for (const page of [a1, a2, b1]) {
      const { list, answeredTwice: twice } = await outcomes(page);
      answeredTwice += twice;
      tally(list, [sA1, sA2, sB], t);
    }

    // Every key still signs, with its own public key.
    let keysLost = 0;
    for (const [page, s] of plan) {
      const out = await call<Envelope>(page, 'keyhold_signRequest', [{ sessionId: s.id, requestType: 1, body: 'AQID' }]);
      if (out.error || out.result.public_key !== s.publicKey) keysLost++;
    }
    record('worker killed mid-burst', {
      signatures: SIGNATURES,
      verified: t.verified,
      disconnected: t.disconnected,
      kills,
      requestsLost: t.hung + answeredTwice,
      keysLost,
    });

    assert.equal(t.signed + t.disconnected + t.hung, SIGNATURES, 'every request accounted for');
    assert.equal(t.hung, 0, `${t.hung} requests hung past ${BOUND_MS} ms`);
    assert.equal(answeredTwice, 0, 'no request answered twice');
    assert.ok(t.maxMs < BOUND_MS, `slowest request ${t.maxMs} ms`);
    assert.equal(keysLost, 0, 'every key still signs with its public key');
    assert.equal(kills, KILLS, 'each kill hit a running worker');
    assert.ok(hitInFlight > 0, 'at least one kill landed with requests in flight');
    assert.ok(t.verified > SIGNATURES / 2, `most requests were replayed and signed (${t.verified} of ${SIGNATURES})`);
    for (const s of [sA1, sA2, sB]) {
      const page = s === sB ? b1 : a1;
      assert.ok(ok(await call<SessionInfo[]>(page, 'keyhold_listSessions')).some((x) => x.id === s.id), `session ${s.label} survives`);
    }
  });
});
