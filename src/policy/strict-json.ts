/**
 * Strict JSON for request bodies under a policy: UTF-8 that decodes without a replacement,
 * JSON that parses, and no object with the same key twice at any depth. `JSON.parse` keeps the
 * last of two equal keys while another reader may keep the first, so a body with duplicates
 * could satisfy a rule here and mean something else at the service: such a body is refused.
 *
 * The duplicate check is cheap: `JSON.parse` makes one property per distinct key, so a body
 * has a duplicate exactly when it names more keys than its parsed objects hold. One scan of the
 * text counts the keys (a string followed by `:`), jumping from quote to quote with the
 * engine's `indexOf`; a walk of the parsed value counts the properties. Neither allocates per
 * key, and neither recurses (a deep body cannot overflow the stack).
 * @module
 */

/** Made on first use, not when a cold worker evaluates this module. */
let decoder: TextDecoder | undefined;

export type StrictJson = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parses `bytes` as strict JSON (see the module note). Never throws. */
export function parseStrictJson(bytes: Uint8Array): StrictJson {
  let text: string;
  let value: unknown;
  try {
    text = (decoder ??= new TextDecoder('utf-8', { fatal: true })).decode(bytes);
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  if (typeof value === 'object' && value !== null && countKeys(text) !== countProperties(value)) {
    return { ok: false, reason: 'the body has a duplicate key' };
  }
  return { ok: true, value };
}

/** Whether some object in `text` (valid JSON) names a key twice; keys compare decoded (`"a"` is `"\u0061"`). */
export function hasDuplicateKey(text: string): boolean {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && countKeys(text) !== countProperties(value);
}

/** The keys `text` (valid JSON) names: strings followed, after white space, by a colon. */
export function countKeys(text: string): number {
  let keys = 0;
  let at = text.indexOf('"');
  while (at !== -1) {
    // The closing quote: the next one not escaped (after an even run of backslashes).
    let end = text.indexOf('"', at + 1);
    while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
    if (end === -1) return keys;
    let next = end + 1;
    for (let c = text.charCodeAt(next); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++next));
    if (text.charCodeAt(next) === 0x3a /* : */) keys++;
    at = text.indexOf('"', next);
  }
  return keys;
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let i = quote - 1; text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** The own properties of every object in a parsed JSON value. */
export function countProperties(root: unknown): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'object' && x !== null) stack.push(x);
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        n++;
        const x = o[k];
        if (typeof x === 'object' && x !== null) stack.push(x);
      }
    }
  }
  return n;
}
