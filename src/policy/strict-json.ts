/**
 * Strict JSON for request bodies under a policy: UTF-8 that decodes without a replacement,
 * JSON that parses, and no object with the same key twice at any depth. `JSON.parse` keeps the
 * last of two equal keys while another reader may keep the first, so a body with duplicates
 * could satisfy a rule here and mean something else at the service: such a body is refused.
 * @module
 */

const decoder = new TextDecoder('utf-8', { fatal: true });

export type StrictJson = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parses `bytes` as strict JSON (see the module note). Never throws. */
export function parseStrictJson(bytes: Uint8Array): StrictJson {
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  // A body with no "{" cannot hold an object, so most scalar and array bodies skip the scan.
  if (text.includes('{') && hasDuplicateKey(text)) return { ok: false, reason: 'the body has a duplicate key' };
  return { ok: true, value };
}

/**
 * Whether some object in `text` (already known to be valid JSON) names a key twice. One pass,
 * iterative (a deep body cannot overflow the stack); keys are compared decoded, so `"a"` and
 * `"\u0061"` are the same key.
 */
export function hasDuplicateKey(text: string): boolean {
  // One entry per open container: a Set of keys for an object, null for an array.
  const stack: Array<Set<string> | null> = [];
  // In an object, whether the next string is a key (after "{" or ",").
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const raw = text.slice(start + 1, i);
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
        if (top.has(key)) return true;
        top.add(key);
        expectKey = false;
      }
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return false;
}
