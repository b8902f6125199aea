/**
 * The warning under an origin whose host is punycode (`xn--`), which can imitate another
 * address with look-alike international characters.
 * @module
 */
import { isPunycodeHost } from '../format.js';

export function PunycodeWarning({ origin }: { origin: string }) {
  if (!isPunycodeHost(origin)) return null;
  return (
    <p class="callout callout--warn">
      <span class="callout__icon" aria-hidden="true">!</span>
      <span>This address uses international characters; check it carefully.</span>
    </p>
  );
}
