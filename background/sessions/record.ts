/**
 * Validation of stored session records: what comes back from disk is input too (a profile can
 * be tampered with, a migration can be wrong). A record that fails is treated as absent.
 * @module
 */
import { fieldsOf } from '../../src/protocol/fields.js';
import { isUuidString } from '../../src/wire/uuidv7.js';
import type { ApiKeyBinding, ServiceBinding, SessionRecord } from '../db.js';
import { parsePolicy } from '../../src/protocol/policy-params.js';
import { parseDescriptor } from '../../src/protocol/descriptor-params.js';

/** A stored policy or descriptor is checked as strictly as a page's: a bad one makes the record invalid. */
function parses(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

export function isSessionRecord(r: unknown): r is SessionRecord {
  if (typeof r !== 'object' || r === null) return false;
  const s = fieldsOf<SessionRecord>(r);
  return (
    typeof s.id === 'string' &&
    typeof s.origin === 'string' &&
    s.publicKey instanceof Uint8Array && s.publicKey.length === 32 &&
    typeof CryptoKey !== 'undefined' && s.privateKey instanceof CryptoKey &&
    (s.role === 'TRADING_ONLY' || s.role === 'FULL_ACCESS') &&
    (s.subaccountIndex === null || (isInt(s.subaccountIndex) && s.subaccountIndex >= 0)) &&
    (s.requestTypes === null || (Array.isArray(s.requestTypes) && s.requestTypes.every((t) => isInt(t) && t >= 0 && t <= 0xffff))) &&
    (s.label === null || typeof s.label === 'string') &&
    isInt(s.createdAt) &&
    isInt(s.validUntil) &&
    (s.service === undefined || isServiceBinding(s.service)) &&
    (s.apiKey === undefined || isApiKeyBinding(s.apiKey)) &&
    (s.policy === undefined || parses(() => parsePolicy(s.policy, s.requestTypes as number[] | null))) &&
    (s.descriptor === undefined || isSessionDescriptor(s.descriptor))
  );
}

function isApiKeyBinding(b: unknown): b is ApiKeyBinding {
  if (typeof b !== 'object' || b === null) return false;
  const k = fieldsOf<ApiKeyBinding>(b);
  return typeof k.address === 'string' && /^0x[0-9a-f]{40}$/.test(k.address) && (k.baseUrl === null || typeof k.baseUrl === 'string');
}

const bytesOrNull = (v: unknown) => v === null || v instanceof Uint8Array;

function isSessionDescriptor(d: unknown): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const o = fieldsOf<{ source: unknown; descriptor: unknown }>(d);
  return (o.source === 'service' || o.source === 'site') && parses(() => parseDescriptor(o.descriptor));
}

function isServiceBinding(b: unknown): b is ServiceBinding {
  if (typeof b !== 'object' || b === null) return false;
  const s = fieldsOf<ServiceBinding>(b);
  return (
    typeof s.baseUrl === 'string' &&
    (s.master === 'secp256k1' || s.master === 'passkey') &&
    (s.status === 'pending' || s.status === 'active') &&
    bytesOrNull(s.loginPayload) &&
    bytesOrNull(s.deviceKey) &&
    (s.status === 'pending' || s.deviceKey instanceof Uint8Array) &&
    (s.serviceSessionId === undefined || isUuidString(s.serviceSessionId))
  );
}

/** The id the session's service knows it by: its own when it assigned one, else Keyhold's. */
export const serviceSessionIdOf = (r: Pick<SessionRecord, 'id' | 'service'>): string => r.service?.serviceSessionId ?? r.id;
