/**
 * An account as a person reads it: its identicon, its name (when Keyhold knows one) and the
 * address checksummed and shortened (`0x1234…abcd`), the whole address in its title. For every screen that names an account (Home, Settings, the signature
 * requests). `full` shows the whole checksummed address instead, where it must be compared.
 * @module
 */
import { checksumAddress, identicon, shortAddress } from '../address.js';

export function Identicon({ address, size = 20 }: { address: string; size?: number }) {
  const icon = identicon(address);
  return (
    <svg class="identicon" viewBox="0 0 5 5" width={size} height={size} aria-hidden="true" focusable="false" shape-rendering="crispEdges">
      <rect width="5" height="5" fill={icon.background} />
      {icon.cells.map((on, i) => (on ? <rect key={i} x={i % 5} y={Math.floor(i / 5)} width="1" height="1" fill={icon.color} /> : null))}
    </svg>
  );
}

export interface AccountLabelProps {
  address: string;
  /** The account's name in Keyhold, if it has one. */
  name?: string | undefined;
  /** Show the whole checksummed address (to compare it), not the short form. */
  full?: boolean;
  class?: string;
}

export function AccountLabel({ address, name, full = false, class: className }: AccountLabelProps) {
  const checksummed = checksumAddress(address);
  return (
    <span class={`account-label ${className ?? ''}`.trim()} title={checksummed}>
      <Identicon address={checksummed} />
      {name !== undefined && name !== '' && <span class="account-label__name">{name}</span>}
      {full ? (
        <code class="address account-label__address">{checksummed}</code>
      ) : (
        <code class="account-label__address">{shortAddress(checksummed)}</code>
      )}
    </span>
  );
}
