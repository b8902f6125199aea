/**
 * A localised message with elements in place of its `$1`…`$9` (an emphasised host, an address in
 * code): the message comes whole from `_locales/`, so a translation may put them in any order.
 * @module
 */
import { Fragment, type ComponentChildren } from 'preact';
import { t, type MessageKey } from '../i18n.js';

/** Private-use marks around each substitution's number, so the message can be cut back apart. */
const mark = (i: number) => `\uE000${i}\uE001`;

/** `t(key)` with `parts[0]` at `$1`, `parts[1]` at `$2`…, each part any preact child. */
export function tRich(key: MessageKey, ...parts: ComponentChildren[]): ComponentChildren {
  const text = t(key, ...parts.map((_, i) => mark(i)));
  return text.split(/\uE000(\d)\uE001/).map((piece, i) => (i % 2 === 1 ? <Fragment key={i}>{parts[Number(piece)]}</Fragment> : piece));
}
