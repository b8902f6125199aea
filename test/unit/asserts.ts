/**
 * Assertions shared by the unit tests of the pure modules.
 * @module
 */
import assert from 'node:assert/strict';

/** Asserts `fn` throws exactly `type` with a message that names the argument `name` in quotes. */
export function throwsNamed(fn: () => unknown, type: typeof TypeError | typeof RangeError, name: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error, 'an Error');
    assert.equal(e.constructor, type, `${type.name} expected, got ${e.constructor.name}: ${e.message}`);
    assert.ok(e.message.includes(`"${name}"`), `message names "${name}": ${e.message}`);
    return true;
  });
}
