/**
 * What a session may do, in one line a person reads: the request types' names from the
 * session's descriptor ("Can sign PlaceOrder, CancelOrder"), "any request", or how many kinds
 * when the service did not name them (the numbers stay in the card's details). Pure.
 * @module
 */
import type { SessionView } from '../src/protocol/extension-rpc.js';
import { t, tCount } from './i18n.js';

export function capability(session: Pick<SessionView, 'requestTypes' | 'descriptor'>): string {
  const types = session.requestTypes;
  if (types === null) return t('cardCanAny');
  if (types.length === 0) return t('cardCanNothing');
  const names = session.descriptor?.requestTypes;
  if (names !== undefined && types.every((n) => names[String(n)] !== undefined)) {
    return t('cardCanNamed', types.map((n) => names[String(n)]!.name).join(', '));
  }
  return tCount(types.length, 'cardCanTypes_one', 'cardCanTypes_other');
}

/** The name of a request type when the descriptor gives one, else "type 7". */
export function requestTypeName(type: number, names?: Readonly<Record<string, { name: string }>>): string {
  return names?.[String(type)]?.name ?? t('requestTypeNumbered', type);
}
