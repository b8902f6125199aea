/**
 * The provider's check for fields a page holds only through a prototype (`{__proto__: {...}}`
 * in an object literal), which structured clone would drop on the way to the worker.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inheritedField } from '../../src/provider/plain-data.js';

describe('inheritedField', () => {
  test('an __proto__ member of an object literal is found, at any depth, with its path', () => {
    assert.equal(inheritedField([{ __proto__: { role: 'FULL_ACCESS' }, ttlSeconds: 60 }]), 'params[0].role');
    assert.equal(inheritedField([{ ttlSeconds: 60, service: { __proto__: { baseUrl: 'https://x.example' } } }]), 'params[0].service.baseUrl');
    assert.equal(inheritedField([[1, { __proto__: { a: 1 } }]]), 'params[0][1].a');
  });

  test('plain data passes: own fields, null prototypes, an own "__proto__" key (the worker refuses that by name), class instances with methods only', () => {
    assert.equal(inheritedField(undefined), null);
    assert.equal(inheritedField([{ ttlSeconds: 60, label: 'x', requestTypes: [1, 2] }]), null);
    assert.equal(inheritedField([Object.assign(Object.create(null), { a: 1 })]), null);
    assert.equal(inheritedField([JSON.parse('{"__proto__": {"a": 1}, "b": 2}')]), null);
    class Point { constructor(public x: number) {} norm() { return this.x; } }
    assert.equal(inheritedField([new Point(1)]), null);
  });

  test('cycles and shared objects end the walk', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    const shared = { y: 2 };
    assert.equal(inheritedField([a, shared, shared]), null);
  });
});

describe('inheritedField and bytes', () => {
  test('a Uint8Array body passes, and is not walked index by index', () => {
    assert.equal(inheritedField([{ sessionId: 'x', requestType: 1, body: new Uint8Array(64) }]), null);
    // Walked index by index, 4 Mi entries take seconds (a key string and a call each); skipped,
    // well under a millisecond.
    const t0 = performance.now();
    assert.equal(inheritedField([{ body: new Uint8Array(4 * 1024 * 1024) }]), null);
    const ms = performance.now() - t0;
    assert.ok(ms < 250, `took ${ms.toFixed(0)} ms`);
  });
});
