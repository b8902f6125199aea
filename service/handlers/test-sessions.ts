/**
 * Test hooks `GET` and `POST /api/v1/_test/sessions`: a fleet of service processes shares its
 * sessions in its database; the reference service keeps them in memory, so tests that run it
 * as several processes copy sessions between them with these (export all, import the unknown).
 * Only with `testHooks`: the export carries device keys.
 * @module
 */
import { parseJsonObject } from '../../packages/verify/src/index.js';
import { badRequest } from '../errors.js';
import { ok, type Handler } from '../handler.js';
import type { Session } from '../state.js';

export const exportSessions: Handler = (req) => ok({ sessions: [...req.state.sessions.values()] });

/** `{sessions: Session[]}`: adds each session whose id and key this process does not know yet. */
export const importSessions: Handler = (req) => {
  const json = parseJsonObject(req.body);
  if (!Array.isArray(json.sessions) || Object.keys(json).length !== 1) throw badRequest('bad_body', 'body must be {"sessions": [...]}');
  const sessions = json.sessions.map(asSession);
  let imported = 0;
  for (const s of sessions) {
    if (req.state.sessions.has(s.id) || req.state.sessionByPublicKey(s.publicKey)) continue;
    req.state.addSession(s);
    imported++;
  }
  return ok({ imported });
};

function asSession(x: unknown): Session {
  const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
  const str = (k: string) => typeof o[k] === 'string';
  const num = (k: string) => Number.isSafeInteger(o[k]);
  const valid =
    str('id') && str('publicKey') && str('masterPublicKey') && (o.role === 'TRADING_ONLY' || o.role === 'FULL_ACCESS') &&
    (o.subaccountIndex === null || num('subaccountIndex')) && num('createdAtMs') && num('validUntilMs') &&
    typeof o.revoked === 'boolean' && (o.deviceKey === null || str('deviceKey'));
  if (!valid) throw badRequest('bad_body', 'not a session record');
  return {
    id: o.id as string,
    publicKey: o.publicKey as string,
    role: o.role as Session['role'],
    masterPublicKey: o.masterPublicKey as string,
    subaccountIndex: o.subaccountIndex as number | null,
    createdAtMs: o.createdAtMs as number,
    validUntilMs: o.validUntilMs as number,
    revoked: o.revoked as boolean,
    deviceKey: o.deviceKey as string | null,
  };
}
