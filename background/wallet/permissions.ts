/**
 * Connected sites: the EIP-2255 `eth_accounts` permission, one record per origin in the
 * `permissions` store. A site sees accounts only while it has one.
 * @module
 */
import type { KeyholdDb } from '../db.js';
import { isPermission, type PermissionRecord } from './permission-record.js';

export type { PermissionRecord };

export class Permissions {
  constructor(private readonly db: KeyholdDb) {}

  async get(origin: string): Promise<PermissionRecord | undefined> {
    const r = await this.db.get('permissions', origin);
    return isPermission(r) ? r : undefined;
  }

  async grant(origin: string, accounts: string[], nowMs: number): Promise<PermissionRecord> {
    const record: PermissionRecord = { origin, accounts: [...accounts], grantedAt: nowMs };
    await this.db.put('permissions', record);
    return record;
  }

  /** Removes the site's permission; returns whether it had one. */
  async revoke(origin: string): Promise<boolean> {
    const tx = this.db.transaction('permissions', 'readwrite');
    const had = (await tx.store.get(origin)) !== undefined;
    if (had) await tx.store.delete(origin);
    await tx.done;
    return had;
  }

  async list(): Promise<PermissionRecord[]> {
    return (await this.db.getAll('permissions')).filter(isPermission).sort((a, b) => a.grantedAt - b.grantedAt);
  }
}
