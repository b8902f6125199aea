/**
 * The role as a badge: calm for "Trading only", a caution colour for "Full access".
 * @module
 */
import type { Role } from '../../src/protocol/page-api.js';
import { roleLabel } from '../format.js';

export function RoleBadge({ role }: { role: Role }) {
  return <span class={`badge ${role === 'FULL_ACCESS' ? 'badge--danger' : 'badge--brand'}`}>{roleLabel(role)}</span>;
}
