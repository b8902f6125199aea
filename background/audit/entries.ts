/**
 * The activity log's entries, built from public facts only.
 * @module
 */
import { uuidToString } from '../../src/wire/uuidv7.js';
import { HEADER_BYTES, REQUEST_ID_BYTES } from '../../src/wire/payload.js';
import type { AuditEntry } from './log.js';

/** A signature: its origin, session, request type and the request id read from the payload. */
export const signedEntry = (origin: string, sessionId: string, requestType: number, payload: Uint8Array, at: number): AuditEntry => ({
  at,
  origin,
  kind: 'sign',
  sessionId,
  requestType,
  requestId: uuidToString(payload.subarray(HEADER_BYTES, HEADER_BYTES + REQUEST_ID_BYTES)),
});

export const sessionEntry = (kind: 'session-created' | 'session-revoked', origin: string, sessionId: string, at: number): AuditEntry => ({
  at,
  origin,
  kind,
  sessionId,
});
