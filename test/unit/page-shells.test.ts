import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTRIES, PAGES, pageShell } from '../../scripts/build.js';

test('every page is bundled from popup/NAME.tsx and its shell loads that bundle, the stylesheet and its window class', () => {
  assert.ok(Object.keys(PAGES).length >= 2);
  for (const [name, page] of Object.entries(PAGES)) {
    assert.equal(ENTRIES[name], `popup/${name}.tsx`);
    const html = pageShell(name, page);
    assert.match(html, new RegExp(`<script src="${name}\\.js" type="module"></script>`));
    assert.match(html, /<link rel="stylesheet" href="styles\.css" \/>/);
    assert.match(html, new RegExp(`<body class="${page.body}">\\s*<div id="app"></div>`));
    assert.ok(html.includes(`<title>${page.title}</title>`));
  }
  assert.equal(PAGES.approval?.title, 'Keyhold: approve request');
  assert.equal(PAGES.popup?.body, 'window-popup');
});
