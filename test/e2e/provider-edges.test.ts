/**
 * The page provider at the edges issue 10 found ("Also seen"), in real Chromium with the built
 * extension: an `__proto__` member is refused (-32602) instead of dropped on the way to the
 * worker; a plain-http page of a host other than localhost gets its EIP-6963 announcement; a
 * CSP-sandboxed page (opaque origin at a normal URL) is answered 4100 at once instead of
 * hanging. Hosts other than the fixture server are served by `context.route`.
 * Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UUID_RE, approvalPages, launchExtension, noApprovalWindow, openDapp, startServer, type Extension, type FixtureServer } from './harness.js';

const DAPP = '<!doctype html><meta charset="utf-8"><title>dapp</title><h1>dapp</h1>';

let server: FixtureServer;
let ext: Extension;

before(async () => {
  server = await startServer();
  ext = await launchExtension();
  await ext.context.route('http://plain.example/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: DAPP }));
  await ext.context.route('http://sandboxed.example/**', (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': 'sandbox allow-scripts' }, body: DAPP }),
  );
});
after(async () => {
  await ext?.close();
  await server?.close();
});

/** Closes any approval window left by an earlier test (which rejects what it showed). */
async function closeApprovals(): Promise<void> {
  for (const p of approvalPages(ext.context)) await p.close({ runBeforeUnload: false }).catch(() => undefined);
  await noApprovalWindow(ext.context);
}

type Outcome = { code?: number; message?: string; result?: unknown; pending?: true; ms: number };

describe('provider edges', () => {
  test('an __proto__ member of the params is refused with -32602 naming it, and nothing is asked of the user', async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, server.urlA);
    const outcomes = await page.evaluate(async () => {
      const cases: unknown[] = [
        // An object literal's __proto__ sets the prototype: the field is inherited, and
        // structured clone would drop it (the landed build then asked for a TRADING_ONLY key).
        [{ __proto__: { role: 'FULL_ACCESS' }, ttlSeconds: 600 }],
        [{ ttlSeconds: 600, service: { __proto__: { master: 'passkey' }, baseUrl: 'https://api.example' } }],
        // An own "__proto__" key (JSON.parse makes one) reaches the worker, which refuses it by name.
        [JSON.parse('{"__proto__": {"role": "FULL_ACCESS"}, "ttlSeconds": 600}')],
      ];
      return Promise.all(
        cases.map((params) =>
          Promise.race([
            window.keyhold!.request({ method: 'keyhold_createSession', params: params as unknown[] }).then(
              (result) => ({ result }),
              (e: { code: number; message: string }) => ({ code: e.code, message: e.message }),
            ),
            new Promise((r) => setTimeout(() => r({ pending: true }), 2_000)),
          ]),
        ),
      );
    });
    const [inherited, nested, own] = outcomes as Outcome[];
    assert.equal(inherited!.code, -32602, JSON.stringify(inherited));
    assert.match(inherited!.message!, /params\[0\]\.role.*__proto__/);
    assert.equal(nested!.code, -32602, JSON.stringify(nested));
    assert.match(nested!.message!, /params\[0\]\.service\.master/);
    assert.equal(own!.code, -32602, JSON.stringify(own));
    assert.match(own!.message!, /__proto__/);
    assert.equal(approvalPages(ext.context).length, 0, 'no approval window was opened');
    await page.close();
  });

  test('a plain-http page of a host other than localhost gets its EIP-6963 announcement (window.keyhold is there anyway)', async () => {
    const page = await openDapp(ext.context, 'http://plain.example/');
    const seen = await page.evaluate(async () => {
      const got: { rdns: unknown; uuid: unknown; same: boolean }[] = [];
      const listener = {
        handleEvent(e: Event) {
          const d = (e as CustomEvent).detail;
          got.push({ rdns: d.info.rdns, uuid: d.info.uuid, same: d.provider === window.keyhold });
        },
      };
      window.addEventListener('eip6963:announceProvider', listener);
      window.dispatchEvent(new Event('eip6963:requestProvider'));
      await new Promise((r) => setTimeout(r, 100));
      return { got, secure: isSecureContext };
    });
    assert.equal(seen.secure, false, 'the page is not a secure context');
    const ours = seen.got.filter((a) => a.rdns === 'dev.keyhold');
    assert.equal(ours.length, 1, 'one announcement');
    assert.match(String(ours[0]!.uuid), UUID_RE);
    assert.equal(ours[0]!.same, true, 'the announced provider is window.keyhold');
    await page.close();
  });

  test('a CSP-sandboxed page (opaque origin) is answered 4100 at once instead of hanging', async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, 'http://sandboxed.example/');
    const out = (await page.evaluate(async () => {
      const t0 = performance.now();
      return Promise.race([
        window.keyhold!.request({ method: 'keyhold_createSession', params: [{ ttlSeconds: 600 }] }).then(
          (result) => ({ result, ms: performance.now() - t0 }),
          (e: { code: number; message: string }) => ({ code: e.code, message: e.message, ms: performance.now() - t0 }),
        ),
        new Promise((r) => setTimeout(() => r({ pending: true, ms: 5_000 }), 5_000)),
      ]);
    })) as Outcome;
    const origin = await page.evaluate(() => window.origin);
    assert.equal(origin, 'null', 'the page has an opaque origin');
    assert.equal(out.code, 4100, JSON.stringify(out));
    assert.ok(out.ms < 1_000, `answered in ${out.ms} ms`);
    assert.equal(approvalPages(ext.context).length, 0);
    await page.close();
  });
});
