/**
 * The session row, shaped as the reference list-sessions endpoint answers it.
 * @module
 */
import type { Role, Session } from './state.js';

export interface SessionRow {
  id: string;
  public_key: string;
  role: Role;
  master_public_key: string;
  subaccount_index: number | null;
  created_at: string;
  valid_until: string;
}

/** The JSON row of a session. */
export function sessionRow(s: Session): SessionRow {
  return {
    id: s.id,
    public_key: s.publicKey,
    role: s.role,
    master_public_key: s.masterPublicKey,
    subaccount_index: s.subaccountIndex,
    created_at: new Date(s.createdAtMs).toISOString(),
    valid_until: new Date(s.validUntilMs).toISOString(),
  };
}
