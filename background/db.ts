/**
 * Keyhold's IndexedDB database: a typed schema (a wrong `put` fails to compile) and ordered
 * migrations. Migration N brings a database from version N-1 to N; each runs once, in order,
 * inside the upgrade transaction.
 * @module
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { MasterKind, Role, SessionStatus } from '../src/protocol/page-api.js';
import type { VaultStoreRecord } from './vault/records.js';
import type { PermissionRecord } from './wallet/permission-record.js';
import type { PolicyStateRecord } from './policy/state-record.js';
import type { PolicyRuleName, SessionPolicy } from '../src/protocol/policy.js';
import type { SessionDescriptor } from '../src/protocol/descriptor.js';
import type { ActivityView, AuditKind, MasterSignMethod } from '../src/protocol/extension-rpc.js';

/** A session's binding to a service: where it logged in, and the device key it was issued. */
export interface ServiceBinding {
  baseUrl: string;
  master: MasterKind;
  status: SessionStatus;
  /** The login message's UTF-8 bytes (`spec/signing.md` §8) the master signs; kept until the login is accepted. */
  loginPayload: Uint8Array | null;
  /** Who signs the login, as the user approved it: Keyhold's vault (with `address`) or the page's own master. Absent in records from before bound logins: the page. */
  signer?: 'vault' | 'page';
  /** The checksummed account named in the login (secp256k1 masters). */
  address?: string;
  /** The device-key secret the service issued at login; never leaves the worker but as X-DEVICE-KEY. */
  deviceKey: Uint8Array | null;
  /**
   * The id the service gave the session at login, when it assigned its own (a UUID other than
   * `SessionRecord.id`); absent when it kept Keyhold's. RevokeSession bodies and ListSessions
   * rows use it. Optional and unindexed, so records from before it need no migration.
   */
  serviceSessionId?: string;
}

/** A session key as stored. `privateKey` is a non-extractable WebCrypto key. */
export interface SessionRecord {
  id: string;
  /** The origin that created it, from the browser; the only origin it signs for. */
  origin: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  privateKey: CryptoKey;
  role: Role;
  subaccountIndex: number | null;
  requestTypes: number[] | null;
  label: string | null;
  /** ms since the epoch. */
  createdAt: number;
  /** ms since the epoch; the session refuses to sign from this instant on. */
  validUntil: number;
  /** Service sessions only. */
  service?: ServiceBinding;
  /** Set at creation: the key signs only while the vault is unlocked. Absent means false. */
  requiresUnlock?: boolean;
  /** 'apiKey' for a key made by `keyhold_createApiKey`; absent for a session. */
  kind?: 'session' | 'apiKey';
  /**
   * API keys only (absent on keys made before it existed): the master account that vouched for
   * the key, and the service it was made for, where revoking it revokes it too.
   */
  apiKey?: ApiKeyBinding;
  /** The policy as granted (after the user's tightening); absent: none. */
  policy?: SessionPolicy;
  /** The descriptor the session was approved with, and whose word it is. */
  descriptor?: SessionDescriptor;
}

/** Where an API key is registered, to revoke it there (`api-keys/revoke-at-service.ts`). */
export interface ApiKeyBinding {
  /** The master account that signed the key's create message, lower case. */
  address: string;
  /** The service's origin (`keyhold_createApiKey`'s `service.baseUrl`), or null when the page named none. */
  baseUrl: string | null;
}

/**
 * A revocation still to be delivered to a service. The session itself is already deleted; this
 * record keeps its non-extractable key and device key only to sign and send the logout, because
 * each retry needs a fresh signature (the auth window is 60 s). Deleted once the service confirms.
 */
export interface RevocationRecord {
  sessionId: string;
  origin: string;
  /** The service's origin; its logout endpoint is `baseUrl + "/api/v1/logout"`. */
  baseUrl: string;
  privateKey: CryptoKey;
  publicKey: Uint8Array;
  deviceKey: Uint8Array;
  /** The service's own id of the session, when it assigned one: the RevokeSession body names it. */
  serviceSessionId?: string;
  /** ms since the epoch. */
  revokedAt: number;
  attempts: number;
  /** ms since the epoch of the next delivery attempt. */
  nextAttemptAt: number;
  /** Why the last attempt failed, for the popup; never a secret. */
  lastError: string | null;
}

/** One line of the activity log, as stored: the popup's {@link ActivityView} plus its key. */
export interface AuditRecord extends ActivityView {
  id?: number;
}

export type { AuditKind, MasterSignMethod };

export interface KeyholdSchema extends DBSchema {
  sessions: {
    key: string;
    value: SessionRecord;
    indexes: { 'by-origin': string; 'by-valid-until': number };
  };
  revocations: {
    key: string;
    value: RevocationRecord;
    indexes: { 'by-next-attempt': number };
  };
  audit: {
    key: number;
    value: AuditRecord;
  };
  /** The encrypted master key, the wrong-password throttle and the vault's settings. */
  vault: {
    key: VaultStoreRecord['id'];
    value: VaultStoreRecord;
  };
  /** Sites connected to the wallet (EIP-2255 `eth_accounts` permission), by origin. */
  permissions: {
    key: string;
    value: PermissionRecord;
  };
  /** What each session's policy has counted, and its pause, by session id. */
  policyState: {
    key: string;
    value: PolicyStateRecord;
  };
}

export const DB_NAME = 'keyhold';
export type KeyholdDb = IDBPDatabase<KeyholdSchema>;
type UpgradeTx = IDBPTransaction<KeyholdSchema, ArrayLike<StoreNames<KeyholdSchema>>, 'versionchange'>;

/** Ordered migrations; the database version is their count. Append, never edit. */
export const MIGRATIONS: ReadonlyArray<(db: KeyholdDb, tx: UpgradeTx) => void> = [
  // 1: session keys, looked up by id, listed by origin, purged by expiry.
  (db) => {
    const sessions = db.createObjectStore('sessions', { keyPath: 'id' });
    sessions.createIndex('by-origin', 'origin');
    sessions.createIndex('by-valid-until', 'validUntil');
  },
  // 2: revocations waiting to be delivered to a service; the bounded activity log.
  (db) => {
    db.createObjectStore('revocations', { keyPath: 'sessionId' }).createIndex('by-next-attempt', 'nextAttemptAt');
    db.createObjectStore('audit', { keyPath: 'id', autoIncrement: true });
  },
  // 3: the vault (encrypted master key, throttle, settings); connected sites.
  (db) => {
    db.createObjectStore('vault', { keyPath: 'id' });
    db.createObjectStore('permissions', { keyPath: 'origin' });
  },
  // 4: session policies' counts and pauses.
  (db) => {
    db.createObjectStore('policyState', { keyPath: 'sessionId' });
  },
];
export const DB_VERSION = MIGRATIONS.length;

/**
 * Opens (creating or upgrading) the database. `onTerminated` is called when the browser closes
 * the connection by itself (the disk failed, the user cleared site data while it was open):
 * every store built on it then fails, so the worker drops them and opens it again on the next
 * event (`platform/readiness.ts`).
 * @throws DOMException when IndexedDB is unavailable or a newer version is on disk.
 */
export function openKeyholdDb(name = DB_NAME, onTerminated?: () => void): Promise<KeyholdDb> {
  return openDB<KeyholdSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      MIGRATIONS.slice(oldVersion).forEach((migrate) => migrate(db, tx));
    },
    ...(onTerminated && { terminated: onTerminated }),
  });
}
