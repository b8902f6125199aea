/**
 * The one place a session key (or an API key, which is a session key too) is made: a fresh
 * non-extractable Ed25519 pair, a UUIDv7 id, the record stored, `session-created` in the
 * activity log, and the expiry purge re-armed. Approving a session request and approving an API
 * key request both come here.
 * @module
 */
import { uuidToString, uuidv7 } from '../../src/wire/uuidv7.js';
import { sessionEntry } from '../audit/entries.js';
import type { SessionRecord } from '../db.js';
import type { WorkerDeps } from '../deps.js';
import { generateSessionKey } from './keys.js';

/** What this module makes: the key pair and the id (a UUIDv7 of `createdAt`). */
export type MadeKey = Pick<SessionRecord, 'id' | 'publicKey' | 'privateKey' | 'createdAt'>;

/** Everything else a new record holds, as its caller describes it. */
export type SessionFields = Omit<SessionRecord, keyof MadeKey>;

export interface CreatedSession {
  record: SessionRecord;
  /** Deletes it again (the approval it was made for stopped being pending meanwhile). */
  undo: () => Promise<void>;
}

/**
 * Makes, stores and logs a new session key. `describe` gets the made key (a service session's
 * login names its id and public key) and answers the rest of the record.
 * @throws DOMException when the browser lacks WebCrypto Ed25519, or IndexedDB refuses the write.
 */
export async function createSessionKey(
  deps: Pick<WorkerDeps, 'sessions' | 'audit' | 'schedulePurge' | 'now'>,
  describe: (made: MadeKey) => SessionFields | Promise<SessionFields>,
): Promise<CreatedSession> {
  const key = await generateSessionKey();
  const createdAt = deps.now();
  const made: MadeKey = { id: uuidToString(uuidv7(createdAt)), publicKey: key.publicKey, privateKey: key.privateKey, createdAt };
  // The made fields last: nothing `describe` answers can replace the key or its id.
  const record: SessionRecord = { ...(await describe(made)), ...made };
  await deps.sessions.add(record);
  deps.audit.record(sessionEntry('session-created', record.origin, record.id, createdAt));
  deps.schedulePurge();
  return { record, undo: async () => void (await deps.sessions.delete(record.id)) };
}
