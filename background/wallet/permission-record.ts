/**
 * A connected site as stored in the `permissions` store: the EIP-2255 `eth_accounts`
 * permission of one origin. A leaf module, so the database schema (`db.ts`) can name it without
 * importing the store that reads it.
 * @module
 */

export type PermissionRecord = {
  /** The connected origin, from the browser. */
  origin: string;
  /** Checksummed addresses the site may see, in the vault's order. */
  accounts: string[];
  /** ms since the epoch. */
  grantedAt: number;
};

/** A stored record that fails this is treated as absent, never trusted. */
export const isPermission = (r: unknown): r is PermissionRecord => {
  const p = r as Partial<PermissionRecord> | undefined;
  return !!p && typeof p.origin === 'string' && Array.isArray(p.accounts) &&
    p.accounts.every((a) => typeof a === 'string') && typeof p.grantedAt === 'number';
};
