/**
 * The top of every request: who asks (origin, host emphasised, IDN warning) and what for.
 * @module
 */
import { OriginName } from './origin-name.js';
import { PunycodeWarning } from './punycode-warning.js';

export function RequestOrigin({ origin, ask }: { origin: string; ask: string }) {
  return (
    <div class="request__who">
      <p class="eyebrow">Site</p>
      <h2 class="request__origin" id="request-origin">
        <OriginName origin={origin} />
      </h2>
      <p class="request__ask">{ask}</p>
      <PunycodeWarning origin={origin} />
    </div>
  );
}
