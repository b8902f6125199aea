/**
 * The page's view of a session record: public fields only, times in ISO 8601.
 * @module
 */
import { toBase64 } from '../../src/encoding/base64.js';
import type { SessionInfo } from '../../src/protocol/page-api.js';
import type { SessionView } from '../../src/protocol/extension-rpc.js';
import type { SessionRecord } from '../db.js';

/** The login bytes as text; null for a binary payload from before bound logins. */
function loginText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function toSessionInfo(r: SessionRecord): SessionInfo {
  const info: SessionInfo = {
    id: r.id,
    publicKey: toBase64(r.publicKey),
    role: r.role,
    subaccountIndex: r.subaccountIndex,
    requestTypes: r.requestTypes === null ? null : [...r.requestTypes],
    label: r.label,
    createdAt: new Date(r.createdAt).toISOString(),
    validUntil: new Date(r.validUntil).toISOString(),
  };
  if (r.policy) info.policy = structuredClone(r.policy);
  if (r.service) {
    // The device key is never part of any view.
    info.service = { baseUrl: r.service.baseUrl };
    if (r.service.serviceSessionId) info.service.sessionId = r.service.serviceSessionId;
    info.status = r.service.status;
    if (r.service.status === 'pending' && r.service.loginPayload) {
      info.loginPayload = toBase64(r.service.loginPayload);
      const text = loginText(r.service.loginPayload);
      if (text !== null) info.loginMessage = text;
    }
  }
  return info;
}

export function toSessionView(r: SessionRecord): SessionView {
  const view: SessionView = { ...toSessionInfo(r), origin: r.origin };
  if (r.kind === 'apiKey') view.apiKey = { baseUrl: r.apiKey?.baseUrl ?? null };
  return view;
}
