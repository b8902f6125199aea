/**
 * The service's in-memory state: sessions (by id and by public key), registered passkeys, API
 * keys, the replay guard that remembers request ids and login nonces, and the test outage flag.
 * Nothing is persisted; a restart forgets everything.
 * @module
 */
import { conflict } from './errors.js';
import { MemoryReplayGuard, type ReplayGuard } from '../packages/verify/src/index.js';

/** What a session key may do (CreateSession body byte 48: 0, 1). */
export type Role = 'TRADING_ONLY' | 'FULL_ACCESS';

/** A session key registered by `POST /api/v1/login`. */
export interface Session {
  /** the session's UUID, lowercase text */
  id: string;
  /** standard base64 of the raw 32-byte Ed25519 key */
  publicKey: string;
  role: Role;
  /** standard base64 of the master's key: compressed secp256k1 (33 bytes) or passkey SPKI */
  masterPublicKey: string;
  /** the subaccount the session is pinned to; null = the whole account */
  subaccountIndex: number | null;
  createdAtMs: number;
  validUntilMs: number;
  revoked: boolean;
  /** standard base64 of the device-key secret issued at login; null once deleted */
  deviceKey: string | null;
}

/** A passkey registered with the service (`POST /api/v1/passkeys/register`). */
export interface PasskeyCredential {
  /** standard base64 of the credential id */
  credentialId: string;
  /** the credential's P-256 public key, DER SubjectPublicKeyInfo */
  spki: Uint8Array;
  /** the relying party id its assertions carry */
  rpId: string;
  /** the exact origin its client data must name */
  origin: string;
}

/** An API key registered by `POST /api/v1/createApiKey` (see `handlers/api-keys.ts`). */
export interface ApiKey {
  /** the raw 32-byte Ed25519 key, 64 lower-case hex digits */
  publicKeyHex: string;
  /** the owning wallet, 0x + 40 lower-case hex digits */
  address: string;
  name: string;
  createdAtMs: number;
  validUntilMs: number;
  /** Unix ms of the revocation; null while live */
  revokedAtMs: number | null;
}

/** The whole in-memory state of one service instance. */
export class ServiceState {
  /** sessions by id; revoked and expired ones stay, so their ids and keys are never reused */
  readonly sessions = new Map<string, Session>();
  private readonly byPublicKey = new Map<string, Session>();
  /** API keys by lower-case hex public key; revoked ones stay, so a key is never registered twice */
  readonly apiKeys = new Map<string, ApiKey>();
  /** registered passkeys by standard base64 credential id */
  readonly passkeys = new Map<string, PasskeyCredential>();
  /**
   * Where request ids and login nonces are claimed: this process's memory by default
   * (`@keyhold/verify`'s {@link MemoryReplayGuard}); a shared store (Redis) when several processes
   * serve one service.
   */
  replay: ReplayGuard = new MemoryReplayGuard();
  /** while true, every endpoint but the outage hook answers 503 */
  outage = false;
  /** the service's own origins: the only audiences its logins and master calls may name */
  readonly origins = new Set<string>();
  /** the sites (origins) whose logins it accepts; tests and operators add theirs */
  readonly sites = new Set<string>();
  /** when true, login gives each session an id of the service's own (a random UUID) instead of the proposed one */
  assignSessionIds = false;

  /** What the trading endpoints accepted, by session id: counts and summed quantities. */
  readonly accepted = new Map<string, { orders: number; qty: number; withdrawals: number; amount: number }>();

  /** Counts an accepted order or withdrawal. */
  countAccepted(sessionId: string, kind: 'order' | 'withdrawal', size: number): void {
    const a = this.accepted.get(sessionId) ?? { orders: 0, qty: 0, withdrawals: 0, amount: 0 };
    if (kind === 'order') {
      a.orders++;
      a.qty += size;
    } else {
      a.withdrawals++;
      a.amount += size;
    }
    this.accepted.set(sessionId, a);
  }

  /**
   * Adds a session.
   * @throws ServiceError 409 `session_exists` if the id was ever used, `session_key_in_use` if
   *   the public key was ever registered
   */
  addSession(session: Session): void {
    if (this.sessions.has(session.id)) {
      throw conflict('session_exists', `session ${session.id} already exists`);
    }
    if (this.byPublicKey.has(session.publicKey)) {
      throw conflict('session_key_in_use', 'this session public key is already registered');
    }
    this.sessions.set(session.id, session);
    this.byPublicKey.set(session.publicKey, session);
  }

  /** The session registered with this public key (standard base64), if any. */
  sessionByPublicKey(publicKey: string): Session | undefined {
    return this.byPublicKey.get(publicKey);
  }

  /** The master's sessions that are neither revoked nor expired at `nowMs`, oldest first. */
  liveSessionsOf(masterPublicKey: string, nowMs: number): Session[] {
    return [...this.sessions.values()]
      .filter((s) => s.masterPublicKey === masterPublicKey && !s.revoked && nowMs < s.validUntilMs)
      .sort((a, b) => a.createdAtMs - b.createdAtMs);
  }

  /** Revokes a session and deletes its device key. */
  revoke(session: Session): void {
    session.revoked = true;
    session.deviceKey = null;
  }

  /** Registers a passkey. @throws ServiceError 409 `credential_exists` */
  addPasskey(credential: PasskeyCredential): void {
    if (this.passkeys.has(credential.credentialId)) {
      throw conflict('credential_exists', 'a passkey with this credential_id is already registered');
    }
    this.passkeys.set(credential.credentialId, credential);
  }
}
