/**
 * What the extension bundle links in place of `webextension-polyfill` (scripts/build.ts,
 * `LAZY_MODULES`). The polyfill itself hands back `globalThis.browser` when the browser has it
 * (Firefox, and Chromium since it added the namespace), so this module does the same without
 * evaluating it, and without the bundler's ES-module wrapper, which copied every property of
 * the namespace at the worker's start (about 3 ms of a cold start in Chromium 156). A browser
 * without the namespace gets the polyfill, required on first use as before. Node and the unit
 * tests import the package itself.
 * @module
 */
import type Browser from 'webextension-polyfill';

type Namespace = typeof Browser;
const native = (globalThis as { browser?: Namespace }).browser;

const browser: Namespace = native?.runtime?.id ? native : (require('webextension-polyfill') as Namespace);
export default browser;
