/**
 * Which browsers' extension messaging carries a Uint8Array as it is (for `encoding: 'bytes'`):
 * Chromium from 148 (structured clone), Firefox always; Chromium before 148 sends JSON.
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messagingCarriesBytes } from '../../src/platform/messaging.js';

test('Chromium 148+ and Firefox carry bytes; Chromium 137-147 does not', () => {
  const chrome = (v: number) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`;
  assert.equal(messagingCarriesBytes(chrome(156)), true);
  assert.equal(messagingCarriesBytes(chrome(148)), true);
  assert.equal(messagingCarriesBytes(chrome(147)), false);
  assert.equal(messagingCarriesBytes(chrome(137)), false);
  assert.equal(messagingCarriesBytes('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36'), true);
  assert.equal(messagingCarriesBytes('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'), true);
});
