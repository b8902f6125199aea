/**
 * Load in real Chromium: 5 tabs on 2 origins, each firing its signatures at once. Every one
 * verifies with its own origin's key, no request id repeats, no tab can use the other origin's
 * session (4100), and the worker's heap stays bounded: its peak under load is measured over
 * the DevTools protocol and reported, and what is left after the load is garbage-collected.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { call, launchExtension, openDapp, startServer, type Extension, type FixtureServer, type SessionInfo } from '../e2e/harness.js';
import { fire, installBurst, newSession, newTally, noApprovalWindow, outcomes, rpc, tally, workerHeap } from './browser.js';
import { record, size } from './counts.js';

const PER_TAB = size(1_000, 5_000);
const BOUND_MS = 60_000;
/** The activity log keeps the newest this many entries (`background/audit/log.ts`). */
const AUDIT_BOUND = 500;
/** The worker's heap may not grow past this under load, nor keep more than LEAK after it. */
const PEAK_LIMIT = size(32, 96) * 2 ** 20;
const LEAK_LIMIT = 4 * 2 ** 20;

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

describe('load', () => {
  test(`5 tabs on 2 origins, ${PER_TAB.toLocaleString('en-US')} concurrent signatures each: all verify, none crosses origins, the worker heap and the activity log stay bounded`, async () => {
    const tabs: { page: Page; origin: 'A' | 'B' }[] = [];
    for (const origin of ['A', 'A', 'A', 'B', 'B'] as const) tabs.push({ page: await openDapp(ext.context, origin === 'A' ? server.urlA : server.urlB), origin });
    const sessions = {
      A: await newSession(ext.context, tabs[0]!.page, { ttlSeconds: 600, label: 'load A' }),
      B: await newSession(ext.context, tabs[3]!.page, { ttlSeconds: 600, label: 'load B' }),
    } satisfies Record<string, SessionInfo>;
    await noApprovalWindow(ext.context);
    for (const t of tabs) await installBurst(t.page);
    // Warm the worker (cache filled), then measure its settled heap.
    for (const t of tabs) await call(t.page, 'keyhold_signRequest', [{ sessionId: sessions[t.origin].id, requestType: 1, body: 'AQID' }]);
    const heap = await workerHeap(ext.context, tabs[0]!.page);
    await heap.collectGarbage();
    const baseline = await heap.used();

    let peak = baseline;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await heap.used());
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const t0 = Date.now();
    await Promise.all(tabs.map((t) => fire(t.page, sessions[t.origin].id, PER_TAB, BOUND_MS)));
    const results = await Promise.all(tabs.map((t) => outcomes(t.page)));
    const elapsed = Date.now() - t0;
    sampling = false;
    await sampler;
    await heap.collectGarbage();
    const settled = await heap.used();
    await heap.close();

    const totals = newTally();
    let answeredTwice = 0;
    results.forEach(({ list, answeredTwice: twice }, i) => {
      answeredTwice += twice;
      assert.ok(list.every((o) => o.sessionId === sessions[tabs[i]!.origin].id));
      tally(list, [sessions[tabs[i]!.origin]], totals);
    });
    // The other origin's session, from every tab: refused, as an unknown id.
    let crossed = 0;
    for (const t of tabs) {
      const other = sessions[t.origin === 'A' ? 'B' : 'A'];
      const out = await call(t.page, 'keyhold_signRequest', [{ sessionId: other.id, requestType: 1, body: 'AQID' }]);
      if (out.error?.code !== 4100) crossed++;
    }
    const signatures = PER_TAB * tabs.length;
    record('load: 5 tabs, 2 origins', {
      signatures,
      verified: totals.verified,
      disconnected: totals.disconnected,
      badInputs: tabs.length,
      requestsLost: totals.hung + answeredTwice,
      peakWorkerHeapBytes: peak,
    });
    console.log(`# load: ${signatures} signatures in ${elapsed} ms; worker heap ${(baseline / 2 ** 20).toFixed(1)} → peak ${(peak / 2 ** 20).toFixed(1)} → after GC ${(settled / 2 ** 20).toFixed(1)} MiB`);

    // The activity log: as the popup lists it, and as stored (read from an extension page).
    const activity = await rpc<{ kind: string; requestId?: string }[]>(ext.context, ext.extensionId, 'activity_list', {});
    const popup = ext.context.pages().find((p) => p.url().startsWith(`chrome-extension://${ext.extensionId}/`))!;
    const auditCount = await popup.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('keyhold');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction('audit').objectStore('audit').count();
            count.onsuccess = () => (open.result.close(), resolve(count.result));
            count.onerror = () => reject(count.error);
          };
        }),
    );
    console.log(`# activity log after the load: ${activity.length} listed, ${auditCount} stored`);

    assert.equal(totals.verified, signatures, 'every signature verifies with its own origin’s key');
    assert.ok(activity.length <= AUDIT_BOUND, `activity_list returned ${activity.length} entries`);
    assert.ok(auditCount <= AUDIT_BOUND, `the audit store holds ${auditCount} records`);
    assert.equal(activity.length, AUDIT_BOUND, 'the load filled the log to its bound (so the bound was tested)');
    assert.ok(activity.every((e) => e.kind === 'sign' && typeof e.requestId === 'string'), 'the newest entries are the signatures of the load');
    assert.equal(totals.disconnected + totals.hung + answeredTwice, 0);
    assert.equal(totals.requestIds.size, signatures, 'no request id repeats across tabs');
    assert.equal(crossed, 0, "no tab can sign with the other origin's session");
    assert.ok(peak > baseline, 'the sampler saw the load');
    assert.ok(peak < PEAK_LIMIT, `worker heap peaked at ${peak} bytes`);
    assert.ok(settled - baseline < LEAK_LIMIT, `the worker kept ${settled - baseline} bytes after the load`);
  });
});
