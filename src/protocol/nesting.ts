/**
 * How deep and how large a value is, checked without recursion: what the relay carries from a
 * page and what the worker keeps of a service's JSON answer are both bounded by it.
 * @module
 */

/**
 * Whether `value` nests at most `maxDepth` objects or arrays deep and holds at most `maxNodes`
 * of them, iteratively (no recursion to overflow). Bytes count as one value; a cycle fails.
 */
export function nestsWithin(value: unknown, maxDepth: number, maxNodes: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) continue;
    if (depth >= maxDepth || ++nodes > maxNodes) return false;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return true;
}
