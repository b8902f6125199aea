/**
 * The activity log's entries, built from public facts only.
 * @module
 */
import { uuidToString } from '../../src/wire/uuidv7.js';
import { HEADER_BYTES, REQUEST_ID_BYTES } from '../../src/wire/payload.js';
import type { MasterSignMethod } from '../db.js';
import type { AuditEntry } from './log.js';
import type { SessionDescriptor } from '../../src/protocol/descriptor.js';
import { summarize } from '../../src/policy/body-preview.js';

/**
 * A signature: its origin, session, request type and the request id read from the payload; with
 * a descriptor, the type's name, and where the type has a summary template, the request in words.
 */
export function signedEntry(origin: string, sessionId: string, requestType: number, payload: Uint8Array, at: number, descriptor?: SessionDescriptor, body?: Uint8Array): AuditEntry {
  const entry: AuditEntry = {
    at,
    origin,
    kind: 'sign',
    sessionId,
    requestType,
    requestId: uuidToString(payload.subarray(HEADER_BYTES, HEADER_BYTES + REQUEST_ID_BYTES)),
  };
  const type = descriptor?.descriptor.requestTypes[String(requestType)];
  // The descriptor's name of the type, so Activity reads "PlaceOrder", not a number.
  if (type) entry.typeName = type.name;
  if (type && body) {
    const summary = type.body === 'binary' ? `${type.name}: ${body.length} bytes` : summarize(type, body);
    if (summary !== undefined) entry.summary = summary;
  }
  return entry;
}

export const sessionEntry = (kind: 'session-created' | 'session-revoked', origin: string, sessionId: string, at: number): AuditEntry => ({
  at,
  origin,
  kind,
  sessionId,
});

/**
 * A signature by the vault's master key: who asked (a site, or the service a popup call went
 * to), what for, with which account; for a service payload its request type and request id.
 * Never the message.
 */
export function masterEntry(
  origin: string,
  method: MasterSignMethod,
  account: string,
  at: number,
  extra: { sessionId?: string; payload?: Uint8Array } = {},
): AuditEntry {
  const entry: AuditEntry = { at, origin, kind: 'master-sign', method, account: account.toLowerCase() };
  if (extra.sessionId !== undefined) entry.sessionId = extra.sessionId;
  if (extra.payload !== undefined) {
    entry.requestType = new DataView(extra.payload.buffer, extra.payload.byteOffset, extra.payload.byteLength).getUint16(2, true);
    entry.requestId = uuidToString(extra.payload.subarray(HEADER_BYTES, HEADER_BYTES + REQUEST_ID_BYTES));
  }
  return entry;
}

/** A worker start found Keyhold's storage evictable; `origin` is Keyhold's own. */
export const storageEntry = (origin: string, at: number): AuditEntry => ({
  at,
  origin,
  kind: 'storage-evictable',
});
