/**
 * The warning under an origin whose host is punycode (`xn--`), which can imitate another
 * address with look-alike international characters: the requesting site's, or a service's.
 * @module
 */
import { isPunycodeHost } from '../format.js';
import { t } from '../i18n.js';
import { Callout } from './callout.js';

/** `whose`: the site's address (the default) or a service's. */
export function PunycodeWarning({ origin, whose = 'site' }: { origin: string; whose?: 'site' | 'service' }) {
  if (!isPunycodeHost(origin)) return null;
  return (
    <Callout tone="warn">{whose === 'service' ? t('punycodeService') : t('punycodeSite')}</Callout>
  );
}
