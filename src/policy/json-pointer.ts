/**
 * JSON Pointers (RFC 6901): checked once when a policy is made, then resolved on each body.
 * @module
 */

/** The reference tokens of `pointer`, or `null` when it is not a JSON Pointer. */
export function parsePointer(pointer: string): string[] | null {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return null;
  // "~" must be followed by 0 or 1.
  if (/~(?![01])/.test(pointer)) return null;
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The value `tokens` point at in `doc`, or `undefined` when there is none. */
export function resolvePointer(doc: unknown, tokens: readonly string[]): unknown {
  let at: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(at)) {
      // Array indices are decimal with no leading zero ("-" names no element).
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      at = at[Number(token)];
    } else if (typeof at === 'object' && at !== null && own(at, token)) {
      at = (at as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return at;
}
