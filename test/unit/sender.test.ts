/**
 * Trust tiers from `runtime.MessageSender` (invariant 3): which senders are web pages through
 * our content script, and which are Keyhold's own extension pages.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isExtensionPage, pageOrigin, type SenderLike } from '../../background/router/sender.js';

const RUNTIME = 'abcdefghijklmnopabcdefghijklmnop';
const OTHER = 'ponmlkjihgfedcbaponmlkjihgfedcba';
const CHROME_BASE = `chrome-extension://${RUNTIME}/`;
const FIREFOX_UUID = '3f1c6a2e-8d4b-4b1e-9a6f-2c7d5e8f9a01';
const FIREFOX_BASE = `moz-extension://${FIREFOX_UUID}/`;

describe('pageOrigin', () => {
  test('a content-script sender (Chrome): the origin from sender', () => {
    const sender: SenderLike = { id: RUNTIME, tab: { id: 1 }, origin: 'https://a.example', url: 'https://a.example/x' };
    assert.equal(pageOrigin(sender, RUNTIME), 'https://a.example');
  });

  test('Firefox: no origin, derived from url', () => {
    assert.equal(pageOrigin({ id: RUNTIME, tab: { id: 1 }, url: 'https://a.example:8443/path?q#h' }, RUNTIME), 'https://a.example:8443');
    assert.equal(pageOrigin({ id: RUNTIME, tab: { id: 1 }, url: 'http://localhost:5173/' }, RUNTIME), 'http://localhost:5173');
  });

  test('tab id 0 is a tab', () => {
    assert.equal(pageOrigin({ id: RUNTIME, tab: { id: 0 }, url: 'https://a.example/' }, RUNTIME), 'https://a.example');
  });

  test('sender.origin wins over url (a frame whose url is about:blank inherits its origin)', () => {
    assert.equal(pageOrigin({ id: RUNTIME, tab: { id: 1 }, origin: 'https://a.example', url: 'about:blank' }, RUNTIME), 'https://a.example');
  });

  const refused: [string, SenderLike][] = [
    ['another extension id', { id: OTHER, tab: { id: 1 }, origin: 'https://a.example', url: 'https://a.example/x' }],
    ['no id', { tab: { id: 1 }, origin: 'https://a.example', url: 'https://a.example/x' }],
    ['no tab', { id: RUNTIME, origin: 'https://a.example', url: 'https://a.example/x' }],
    ['a tab without id', { id: RUNTIME, tab: {}, origin: 'https://a.example', url: 'https://a.example/x' }],
    ['origin "null" (sandboxed frame)', { id: RUNTIME, tab: { id: 1 }, origin: 'null', url: 'https://a.example/x' }],
    ['a chrome-extension origin', { id: RUNTIME, tab: { id: 1 }, origin: CHROME_BASE.slice(0, -1), url: `${CHROME_BASE}popup.html` }],
    ['a chrome-extension url (no origin)', { id: RUNTIME, tab: { id: 1 }, url: `${CHROME_BASE}popup.html` }],
    ['a moz-extension url', { id: RUNTIME, tab: { id: 1 }, url: `${FIREFOX_BASE}popup.html` }],
    ['a file:// origin', { id: RUNTIME, tab: { id: 1 }, origin: 'file://', url: 'file:///etc/passwd' }],
    ['a file:// url', { id: RUNTIME, tab: { id: 1 }, url: 'file:///home/u/a.html' }],
    ['a data: url', { id: RUNTIME, tab: { id: 1 }, url: 'data:text/html,<script>1</script>' }],
    ['a blob: url of an opaque origin', { id: RUNTIME, tab: { id: 1 }, url: 'blob:null/1234' }],
    ['about:blank without origin', { id: RUNTIME, tab: { id: 1 }, url: 'about:blank' }],
    ['a javascript: url', { id: RUNTIME, tab: { id: 1 }, url: 'javascript:alert(1)' }],
    ['no url and no origin', { id: RUNTIME, tab: { id: 1 } }],
    ['an unparsable url', { id: RUNTIME, tab: { id: 1 }, url: 'https://' }],
    ['an ftp origin', { id: RUNTIME, tab: { id: 1 }, origin: 'ftp://a.example', url: 'ftp://a.example/' }],
  ];
  for (const [name, sender] of refused) {
    test(`refuses ${name}`, () => assert.equal(pageOrigin(sender, RUNTIME), null));
  }

  test('only the sender is consulted: the same sender gives the same origin whatever else exists', () => {
    // pageOrigin takes only the sender and the runtime id; a payload cannot reach it. Fields the
    // browser never sets for this purpose (frameId) do not change the answer.
    const sender: SenderLike = { id: RUNTIME, tab: { id: 1 }, origin: 'https://a.example', url: 'https://a.example/x' };
    assert.equal(pageOrigin.length, 2);
    assert.equal(pageOrigin({ ...sender, frameId: 7 }, RUNTIME), 'https://a.example');
    assert.equal(pageOrigin(sender, OTHER), null, 'the runtime id is checked, not assumed');
  });
});

describe('isExtensionPage', () => {
  test('Chrome popup: id, extension url and origin', () => {
    const sender = { id: RUNTIME, url: `${CHROME_BASE}popup.html`, origin: `chrome-extension://${RUNTIME}` };
    assert.equal(isExtensionPage(sender, RUNTIME, CHROME_BASE), true);
    assert.equal(isExtensionPage({ ...sender, url: `${CHROME_BASE}approval.html?x=1#y` }, RUNTIME, CHROME_BASE), true);
  });

  test('Firefox popup: moz-extension url, no origin', () => {
    assert.equal(isExtensionPage({ id: RUNTIME, url: `${FIREFOX_BASE}popup.html` }, RUNTIME, FIREFOX_BASE), true);
  });

  const refused: [string, SenderLike][] = [
    ['a content script (web url and origin)', { id: RUNTIME, tab: { id: 1 }, url: 'https://a.example/', origin: 'https://a.example' }],
    ['a content script (web url only)', { id: RUNTIME, tab: { id: 1 }, url: 'https://a.example/' }],
    ['another extension id with our url', { id: OTHER, url: `${CHROME_BASE}popup.html`, origin: CHROME_BASE.slice(0, -1) }],
    ['another extension page', { id: OTHER, url: `chrome-extension://${OTHER}/popup.html`, origin: `chrome-extension://${OTHER}` }],
    ['a url prefix trick', { id: RUNTIME, url: `chrome-extension://${RUNTIME}.evil/popup.html` }],
    ['a url prefix trick with origin', { id: RUNTIME, url: `chrome-extension://${RUNTIME}.evil/popup.html`, origin: `chrome-extension://${RUNTIME}.evil` }],
    ['our url but a web origin', { id: RUNTIME, url: `${CHROME_BASE}popup.html`, origin: 'https://a.example' }],
    ['our url but origin "null" (sandboxed)', { id: RUNTIME, url: `${CHROME_BASE}popup.html`, origin: 'null' }],
    ['our url but another extension origin', { id: RUNTIME, url: `${CHROME_BASE}popup.html`, origin: `chrome-extension://${OTHER}` }],
    ['no url', { id: RUNTIME, origin: CHROME_BASE.slice(0, -1) }],
    ['no id', { url: `${CHROME_BASE}popup.html`, origin: CHROME_BASE.slice(0, -1) }],
    ['the base url without the slash as url', { id: RUNTIME, url: CHROME_BASE.slice(0, -1) }],
  ];
  for (const [name, sender] of refused) {
    test(`refuses ${name}`, () => assert.equal(isExtensionPage(sender, RUNTIME, CHROME_BASE), false));
  }

  test('a base url given without its trailing slash still refuses the prefix trick', () => {
    const base = CHROME_BASE.slice(0, -1);
    assert.equal(isExtensionPage({ id: RUNTIME, url: `chrome-extension://${RUNTIME}.evil/popup.html` }, RUNTIME, base), false);
    assert.equal(isExtensionPage({ id: RUNTIME, url: `${CHROME_BASE}popup.html`, origin: base }, RUNTIME, base), true);
  });

  test('Firefox: refuses a chrome base mix-up and another uuid', () => {
    assert.equal(isExtensionPage({ id: RUNTIME, url: 'moz-extension://00000000-0000-0000-0000-000000000000/popup.html' }, RUNTIME, FIREFOX_BASE), false);
    assert.equal(isExtensionPage({ id: RUNTIME, url: `${FIREFOX_BASE}popup.html`, origin: 'https://a.example' }, RUNTIME, FIREFOX_BASE), false);
  });
});
