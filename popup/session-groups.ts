/**
 * Groups the popup's sessions by origin, keeping the worker's order (newest first): origins
 * appear in the order of their newest session.
 * @module
 */
import type { SessionView } from '../src/protocol/extension-rpc.js';

export interface OriginGroup {
  origin: string;
  sessions: SessionView[];
}

/** One group per origin, in order of first appearance; sessions keep their order within it. */
export function groupByOrigin(sessions: readonly SessionView[]): OriginGroup[] {
  const groups = new Map<string, SessionView[]>();
  for (const s of sessions) {
    const list = groups.get(s.origin);
    if (list) list.push(s);
    else groups.set(s.origin, [s]);
  }
  return [...groups].map(([origin, list]) => ({ origin, sessions: list }));
}
