/**
 * The body schemas a session's descriptor adds to its policy: enforced like rules for every
 * session that uses the descriptor (they can only narrow what is signed).
 * @module
 */
import type { SessionDescriptor } from '../../src/protocol/descriptor.js';

export function descriptorSchemas(d: SessionDescriptor | undefined): Map<number, unknown> {
  const out = new Map<number, unknown>();
  for (const [key, t] of Object.entries(d?.descriptor.requestTypes ?? {})) if (t.schema !== undefined) out.set(Number(key), t.schema);
  return out;
}
