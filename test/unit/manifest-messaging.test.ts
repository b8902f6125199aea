/**
 * Issue 12: Chromium's manifest asks for structured-clone messaging (Uint8Array bodies and
 * results cross the relay and the port as they are); Firefox's has no such key (it always
 * clones, and its linter would flag an unknown key). The minimum Chrome stays where it was:
 * an older Chrome ignores the key and keeps JSON, which every base64 message survives.
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHROME_MIN_VERSION, manifest } from '../../scripts/manifest.js';

test('structured clone messaging in the Chromium manifest only', () => {
  assert.equal(manifest('chromium').message_serialization, 'structured_clone');
  assert.equal('message_serialization' in manifest('firefox'), false);
  assert.equal(manifest('chromium').minimum_chrome_version, CHROME_MIN_VERSION);
});
