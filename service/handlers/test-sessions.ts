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

const notSession = () => badRequest('bad_body', 'not a session record');

/** A session record as exported, each member checked. @throws ServiceError 400 `bad_body` */
function asSession(x: unknown): Session {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw notSession();
  const o: Record<string, unknown> = Object.fromEntries(Object.entries(x));
  const text = (k: string): string => {
    const v = o[k];
    if (typeof v !== 'string') throw notSession();
    return v;
  };
  const int = (k: string): number => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw notSession();
    return v;
  };
  const { role, revoked } = o;
  if ((role !== 'TRADING_ONLY' && role !== 'FULL_ACCESS') || typeof revoked !== 'boolean') throw notSession();
  return {
    id: text('id'),
    publicKey: text('publicKey'),
    role,
    masterPublicKey: text('masterPublicKey'),
    subaccountIndex: o.subaccountIndex === null ? null : int('subaccountIndex'),
    createdAtMs: int('createdAtMs'),
    validUntilMs: int('validUntilMs'),
    revoked,
    deviceKey: o.deviceKey === null ? null : text('deviceKey'),
  };
}
