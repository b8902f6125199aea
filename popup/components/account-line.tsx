/**
 * A vault account as a signing request shows it: its name, then its whole checksummed address
 * in groups of four, so it wraps between groups and reads in chunks (never shortened: an address
 * that only shares its ends with the user's must not pass for it). The vault's own list gives
 * the name and the checksummed form; an address it does not hold is shown as the request has it.
 * @module
 */
import { Fragment } from 'preact';
import type { VaultView } from '../../src/protocol/vault-rpc.js';

/** "0xf39F…" cut after `0x` into groups of four characters. */
export function addressGroups(address: string): string[] {
  const hex = address.startsWith('0x') ? address.slice(2) : address;
  const groups = hex.match(/.{1,4}/g) ?? [];
  return address.startsWith('0x') && groups.length > 0 ? [`0x${groups[0]}`, ...groups.slice(1)] : groups;
}

export function AccountLine({ address, vault }: { address: string; vault: VaultView | null }) {
  const i = vault?.accounts.findIndex((a) => a.toLowerCase() === address.toLowerCase()) ?? -1;
  const shown = i >= 0 ? vault!.accounts[i]! : address;
  const name = i >= 0 ? vault!.names[i] : undefined;
  const groups = addressGroups(shown);
  return (
    <span class="account-line">
      {name !== undefined && <span class="account-line__name">{name}</span>}
      <code class="address account-line__address">
        {groups.map((g, j) => (
          <Fragment key={j}>
            {j > 0 && <wbr />}
            {g}
          </Fragment>
        ))}
      </code>
    </span>
  );
}
