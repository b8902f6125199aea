/**
 * Helpers of the browser fault tests, on top of `test/e2e/harness.ts`: signature bursts run in
 * the page with a time bound per request, the extension-page RPC as the popup calls it, and the
 * worker's heap read over the DevTools protocol.
 * @module
 */
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { createSession, noApprovalWindow, fromBase64, parsePayload, verifyEd25519, type SessionInfo } from '../e2e/harness.js';

export { noApprovalWindow };

/** `createSession` of the harness, one at a time: waits for the last approval window to close first. */
export async function newSession(context: BrowserContext, page: Page, params: Record<string, unknown>, opts: { acknowledge?: boolean } = {}): Promise<SessionInfo> {
  await noApprovalWindow(context);
  return createSession(context, page, params, opts);
}

export interface Envelope {
  payload: string;
  public_key: string;
  signature: string;
}

/** One request's end, as the page saw it. */
export type Outcome = ({ env: Envelope } | { code: number } | { hung: true }) & { ms: number; sessionId: string };

declare global {
  interface Window {
    __kh?: { fired: Promise<Outcome>[]; answers: Map<string, number> };
  }
}

/**
 * Installs the burst machinery in the page: `fire` sends signature requests without waiting,
 * each raced against `boundMs`; every `to-page` answer is counted per request id, so an id
 * answered twice shows.
 */
export async function installBurst(page: Page): Promise<void> {
  await page.evaluate(() => {
    const answers = new Map<string, number>();
    window.addEventListener('message', (e) => {
      if (e.source !== window || e.data?.dir !== 'to-page') return;
      for (const r of e.data.responses ?? []) answers.set(r.id, (answers.get(r.id) ?? 0) + 1);
    });
    window.__kh = { fired: [], answers };
  });
}

/** Fires `n` signatures of `sessionId` now (without waiting for them); returns at once. */
export async function fire(page: Page, sessionId: string, n: number, boundMs: number, requestType = 1): Promise<void> {
  await page.evaluate(
    ({ sessionId, n, boundMs, requestType }) => {
      const kh = window.__kh!;
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const body = btoa(`${sessionId.slice(0, 8)}-${kh.fired.length}`);
        const req = window.keyhold!.request({ method: 'keyhold_signRequest', params: [{ sessionId, requestType, body }] });
        kh.fired.push(
          Promise.race([
            req.then(
              (env) => ({ env, ms: performance.now() - t0, sessionId }),
              (e: { code: number }) => ({ code: e.code, ms: performance.now() - t0, sessionId }),
            ),
            new Promise((r) => setTimeout(() => r({ hung: true, ms: boundMs, sessionId }), boundMs)),
          ]) as Promise<Outcome>,
        );
      }
    },
    { sessionId, n, boundMs, requestType },
  );
}

/** Requests fired so far and not yet ended (a snapshot, for "was the kill mid-burst?"). */
export const inFlight = (page: Page): Promise<number> =>
  page.evaluate(async () => {
    const kh = window.__kh!;
    let open = 0;
    const probe = Symbol('open');
    for (const p of kh.fired) if ((await Promise.race([p, Promise.resolve(probe)])) === probe) open++;
    return open;
  });

/**
 * Waits for every fired request to end (each is bounded) and returns the outcomes, and how many
 * request ids the page received more than one answer for.
 */
export async function outcomes(page: Page): Promise<{ list: Outcome[]; answeredTwice: number }> {
  return page.evaluate(async () => {
    const kh = window.__kh!;
    const list = await Promise.all(kh.fired);
    return { list, answeredTwice: [...kh.answers.values()].filter((c) => c > 1).length };
  });
}

export interface Tally {
  signed: number;
  verified: number;
  disconnected: number;
  hung: number;
  maxMs: number;
  requestIds: Set<string>;
}

/** Checks every outcome: a signature that verifies with its session's public key, or 4900; nothing else. */
export function tally(list: Outcome[], sessions: SessionInfo[], t: Tally = newTally()): Tally {
  const keyOf = new Map(sessions.map((s) => [s.id, s.publicKey]));
  for (const o of list) {
    const publicKey = keyOf.get(o.sessionId);
    assert.ok(publicKey, `an outcome of an unknown session ${o.sessionId}`);
    t.maxMs = Math.max(t.maxMs, o.ms);
    if ('hung' in o) {
      t.hung++;
      continue;
    }
    if ('code' in o) {
      assert.equal(o.code, 4900, `a request that did not sign must end with 4900, got ${o.code}`);
      t.disconnected++;
      continue;
    }
    t.signed++;
    assert.equal(o.env.public_key, publicKey, "signed with the session's own key");
    assert.ok(verifyEd25519(o.env.public_key, o.env.payload, o.env.signature), 'signature verifies');
    t.verified++;
    const id = Buffer.from(parsePayload(fromBase64(o.env.payload)).requestId).toString('hex');
    assert.ok(!t.requestIds.has(id), `request id ${id} repeats`);
    t.requestIds.add(id);
  }
  return t;
}

export const newTally = (): Tally => ({ signed: 0, verified: 0, disconnected: 0, hung: 0, maxMs: 0, requestIds: new Set() });

/** The extension-page RPC, called from a Keyhold page as the popup calls it. */
export async function rpc<T = unknown>(context: BrowserContext, extensionId: string, method: string, params: unknown = {}): Promise<T> {
  const url = `chrome-extension://${extensionId}/popup.html`;
  let page = context.pages().find((p) => !p.isClosed() && p.url() === url);
  if (!page) {
    page = await context.newPage();
    await page.goto(url);
  }
  const res = (await page.evaluate(
    ({ method, params }) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method, params }),
    { method, params },
  )) as { ok: boolean; result?: T; error?: { code: number; message: string } };
  if (!res?.ok) throw new Error(`rpc ${method}: ${JSON.stringify(res?.error)}`);
  return res.result as T;
}

/** The worker's JS heap, over CDP (a service worker has no `performance.memory`). */
export async function workerHeap(context: BrowserContext, page: Page): Promise<{ used: () => Promise<number>; collectGarbage: () => Promise<void>; close: () => Promise<void> }> {
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  assert.ok(sw, "Keyhold's worker target");
  // Playwright cannot open a CDP session on a worker; the non-flat attach relays messages instead.
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false })) as { sessionId: string };
  let next = 0;
  const waiting = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  cdp.on('Target.receivedMessageFromTarget' as never, (e: { sessionId: string; message: string }) => {
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: unknown };
    if (e.sessionId === sessionId && m.id !== undefined) waiting.get(m.id)?.(m), waiting.delete(m.id);
  });
  const send = (method: string) =>
    new Promise<{ result?: unknown; error?: unknown }>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, resolve);
      cdp.send('Target.sendMessageToTarget' as never, { sessionId, message: JSON.stringify({ id, method, params: {} }) } as never).catch(reject);
    });
  return {
    used: async () => {
      const m = await send('Runtime.getHeapUsage');
      assert.ok(m.result, `Runtime.getHeapUsage: ${JSON.stringify(m.error)}`);
      return (m.result as { usedSize: number }).usedSize;
    },
    collectGarbage: async () => void (await send('HeapProfiler.collectGarbage')),
    close: () => cdp.detach().catch(() => undefined),
  };
}
