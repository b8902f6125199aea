/**
 * The warning under an origin whose host is punycode (`xn--`), which can imitate another
 * address with look-alike international characters: the requesting site's, or a service's.
 * @module
 */
import { isPunycodeHost } from '../format.js';

/** `subject` names whose address it is when it is not the site's ("The service's address"). */
export function PunycodeWarning({ origin, subject = 'This address' }: { origin: string; subject?: string }) {
  if (!isPunycodeHost(origin)) return null;
  return (
    <p class="callout callout--warn">
      <span class="callout__icon" aria-hidden="true">!</span>
      <span>{subject} uses international characters; check it carefully.</span>
    </p>
  );
}
