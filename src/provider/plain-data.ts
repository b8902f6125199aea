/**
 * Finds a field a page's params hold only through a prototype, e.g. `{__proto__: {role:
 * 'FULL_ACCESS'}, ttlSeconds: 60}`: structured clone (the window hop) copies own fields only,
 * so the worker would never see it, and would answer for params the page did not mean. The
 * provider refuses such params (-32602) instead of letting the field drop in transit.
 * Primordials are taken when the provider loads, before any page script runs.
 * @module
 */
const getPrototypeOf = Object.getPrototypeOf;
const hasOwn = Object.prototype.hasOwnProperty;
const isArray = Array.isArray;
const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;
const isView = ArrayBuffer.isView;

/** How deep the walk goes; deeper params are the worker's to refuse. */
const MAX_DEPTH = 64;

/**
 * The path and name of the first field `value` holds only by inheritance (an enumerable field
 * of a prototype other than Object's or Array's), or null when there is none.
 */
export function inheritedField(value: unknown, path = 'params'): string | null {
  const seen = new Set<object>();
  const walk = (v: unknown, at: string, depth: number): string | null => {
    if (typeof v !== 'object' || v === null || depth > MAX_DEPTH || seen.has(v)) return null;
    // Bytes (a Uint8Array body) clone whole and hold no fields: not walked index by index.
    if (isView(v)) return null;
    seen.add(v);
    const proto: unknown = getPrototypeOf(v);
    if (proto !== OBJECT_PROTO && proto !== ARRAY_PROTO && proto !== null) {
      for (const key in v) if (!hasOwn.call(v, key)) return `${at}.${key.slice(0, 40)}`;
    }
    const keys = isArray(v) ? [...v.keys()].map(String) : Object.keys(v);
    for (const key of keys) {
      const found = walk(Reflect.get(v, key), isArray(v) ? `${at}[${key}]` : `${at}.${key.slice(0, 40)}`, depth + 1);
      if (found) return found;
    }
    return null;
  };
  return walk(value, path, 0);
}
