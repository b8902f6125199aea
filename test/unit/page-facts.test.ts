/**
 * Who asks, as the approval window leads with it (issue 14): the page's title and icon from the
 * browser's `sender.tab`, cleaned where they enter the worker (a hostile title cannot reorder,
 * hide or stack text; an icon is only ever a small data: image, never a URL to fetch), kept with
 * the approval, and handed to the window with the verified registrable domain.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ICON_CHARS, MAX_TITLE, cleanIcon, cleanTitle, pageFacts } from '../../background/approvals/page-facts.js';
import { siteOf } from '../../background/approvals/hosts.js';
import { answer } from '../../background/router/page-port.js';
import { extensionHandlers } from '../../background/router/extension-rpc.js';
import { makeDeps } from './fakes.js';

const ORIGIN = 'https://app.exchange.example';
const PNG = `data:image/png;base64,${'A'.repeat(64)}`;

describe('page facts: the title and icon a page gives', () => {
  test('a plain title is kept as it is', () => {
    assert.equal(cleanTitle('Demo Exchange · trading with Keyhold', ORIGIN), 'Demo Exchange · trading with Keyhold');
  });

  test('bidi overrides, zero-width and control characters are removed; whitespace collapsed', () => {
    assert.equal(cleanTitle('Pay\u202E\u200Blive.example\u0007\n\tnow', ORIGIN), 'Pay live.example now');
    assert.equal(cleanTitle('\u2066\u2067 \u2069', ORIGIN), undefined);
  });

  test('printable ASCII (the short way, no Unicode patterns) is cleaned as any title is', () => {
    assert.equal(cleanTitle('  spaced   out  title ', ORIGIN), 'spaced out title');
    assert.equal(cleanTitle('   ', ORIGIN), undefined);
    assert.equal(cleanTitle(`${'x'.repeat(MAX_TITLE + 5)}`, ORIGIN), `${'x'.repeat(MAX_TITLE - 1)}…`);
    assert.equal(cleanTitle('app.exchange.example/trade', ORIGIN), undefined, 'the address as title');
    // The same with one character outside printable ASCII goes the long way, to the same result.
    assert.equal(cleanTitle('  spaced \t out  title\u200b ', ORIGIN), 'spaced out title');
  });

  test('stacked combining marks are cut to two per character', () => {
    const tower = `x${String.fromCodePoint(0x30d, 0x30e, 0x304, 0x305, 0x33f, 0x311)}`;
    assert.equal(cleanTitle(tower, ORIGIN), `x${String.fromCodePoint(0x30d, 0x30e)}`);
  });

  test(`a long title is cut to ${MAX_TITLE} code points with an ellipsis`, () => {
    const title = cleanTitle('😀'.repeat(200), ORIGIN)!;
    assert.equal([...title].length, MAX_TITLE);
    assert.ok(title.endsWith('…'));
  });

  test("the browser's stand-in title (the page's address) is dropped", () => {
    assert.equal(cleanTitle('app.exchange.example/trade', ORIGIN), undefined);
    assert.equal(cleanTitle('127.0.0.1:4000/dapp.html', 'http://127.0.0.1:4000'), undefined);
  });

  test('not a string: nothing', () => {
    for (const bad of [undefined, null, 1, {}, ['x']]) assert.equal(cleanTitle(bad, ORIGIN), undefined);
  });

  test('an icon is kept only as a small raster data: image; URLs are never kept (so never fetched)', () => {
    assert.equal(cleanIcon(PNG), PNG);
    assert.equal(cleanIcon('data:image/x-icon;base64,AAAB'), 'data:image/x-icon;base64,AAAB');
    for (const bad of [
      'https://app.exchange.example/favicon.ico',
      'http://tracker.example/p.gif',
      'data:image/svg+xml;base64,PHN2Zy8+',
      'data:text/html;base64,PHNjcmlwdD4=',
      'data:image/png,notbase64<>',
      `data:image/png;base64,${'A'.repeat(MAX_ICON_CHARS)}`,
      'javascript:alert(1)',
      42,
      undefined,
    ]) {
      assert.equal(cleanIcon(bad), undefined, String(bad).slice(0, 40));
    }
  });

  test('pageFacts keeps what survives, and nothing else', () => {
    assert.deepEqual(pageFacts({ title: 'Demo', favIconUrl: PNG }, ORIGIN), { title: 'Demo', icon: PNG });
    assert.deepEqual(pageFacts({ title: '', favIconUrl: 'https://x.example/f.ico' }, ORIGIN), {});
    assert.deepEqual(pageFacts(undefined, ORIGIN), {});
  });

  test('siteOf: the registrable domain, verified, beside the page’s own words', () => {
    assert.deepEqual(siteOf('https://a.b.exchange.example:8443', { title: 'Demo' }), { domain: 'exchange.example', title: 'Demo' });
    assert.deepEqual(siteOf('http://127.0.0.1:4000', undefined), { domain: '127.0.0.1' });
    assert.deepEqual(siteOf('null', undefined), { domain: 'null' });
  });

  test('a page request keeps its tab’s facts with the approval; approval_list hands the window the domain, title and icon', async () => {
    const deps = await makeDeps();
    const asked = answer(deps, ORIGIN, { id: 'r1', method: 'keyhold_createSession', params: [{ ttlSeconds: 600, label: 'Demo Exchange' }] }, pageFacts({ title: 'Demo Exchange', favIconUrl: PNG }, ORIGIN));
    let views = await extensionHandlers.approval_list(deps, {});
    for (let i = 0; i < 50 && views.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      views = await extensionHandlers.approval_list(deps, {});
    }
    assert.equal(views.length, 1);
    assert.deepEqual(views[0]!.site, { domain: 'exchange.example', title: 'Demo Exchange', icon: PNG });
    await deps.approvals.settle(views[0]!.id, { status: 'rejected' });
    const out = await asked;
    assert.equal('error' in out ? out.error.code : undefined, 4001);
  });
});
