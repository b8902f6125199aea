/**
 * The vault: the master key, encrypted at rest in IndexedDB, unlocked into `storage.session`.
 *
 * - Unlocked keys live in `storage.session` (memory only, trusted contexts only), so a worker
 *   restart keeps the vault unlocked and a browser restart starts locked. Locking removes them.
 * - Wrong passwords are counted on disk; past five, each one doubles the wait (`throttle.ts`).
 * - Every change of the stored vault is one `put` of a whole new record, so a crash leaves the
 *   old vault or the new one, never neither.
 * - Records made with weaker KDF parameters than today's are re-encrypted on the next unlock.
 * @module
 */
import { ErrorCode, ProviderRpcError, invalidParams, limitExceeded, unauthorized } from '../../src/protocol/errors.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { KeyholdDb } from '../db.js';
import { DEFAULT_ITERATIONS, DamagedVaultError, WrongPasswordError, needsRekey, open, seal, type VaultRecord } from './cipher.js';
import { DEFAULT_SETTINGS, isVaultRecord, type SettingsRecord, type ThrottleRecord } from './records.js';
import { InvalidSecretError, accountsOf, addressOf, decodeSecret, deriveSecret, encodeSecret, type MasterAccount, type MasterSource } from './secret.js';
import { retryAfterMs } from './throttle.js';

export const MIN_PASSWORD_CHARS = 8;
export const MAX_PASSWORD_CHARS = 1024;
/** The `storage.session` key of the unlocked keys. */
export const SESSION_KEY = 'vaultUnlocked';

export const LOCKED_MESSAGE = 'Keyhold is locked: unlock it to use your master key.';
export const NO_VAULT_MESSAGE = 'Keyhold has no master key yet: create or import a vault from the Keyhold popup.';

/** The slice of `storage.session` the vault needs. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Schedules the auto-lock check (`auto-lock.ts`). */
export interface LockTimer {
  schedule(atMs: number): void;
  clear(): void;
}

export interface VaultOptions {
  db: KeyholdDb;
  area: SessionArea;
  now: () => number;
  /** PBKDF2 iterations for new records; tests lower it, production keeps the default. */
  iterations?: number;
  timer?: LockTimer;
  /** Called after the vault locks or unlocks, or its accounts change. */
  onChange?: () => void;
}

/** What `storage.session` holds while unlocked. */
interface Unlocked {
  /** Account i's private key, 64 hex digits. */
  keys: string[];
  /** ms since the epoch of the last use of the master key. */
  lastActivity: number;
}

export interface VaultStatus {
  exists: boolean;
  unlocked: boolean;
  /** Checksummed addresses, in account order; known even while locked. */
  accounts: string[];
  /** ms before another unlock attempt is allowed (after wrong passwords). */
  retryAfterMs: number;
}

const isUnlocked = (v: unknown): v is Unlocked =>
  typeof v === 'object' && v !== null && Array.isArray((v as Unlocked).keys) &&
  (v as Unlocked).keys.every((k) => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k)) &&
  typeof (v as Unlocked).lastActivity === 'number';

/** @throws ProviderRpcError -32602 unless a password of acceptable length. */
export function checkNewPassword(password: unknown, field = 'password'): string {
  if (typeof password !== 'string') throw invalidParams(`${field} must be a string.`);
  if ([...password].length < MIN_PASSWORD_CHARS) throw invalidParams(`The password must have at least ${MIN_PASSWORD_CHARS} characters.`);
  if (password.length > MAX_PASSWORD_CHARS) throw invalidParams(`The password must have at most ${MAX_PASSWORD_CHARS} characters.`);
  return password;
}

const damaged = () =>
  new ProviderRpcError(ErrorCode.Internal, 'The stored vault is damaged (it fails authentication) and cannot be opened. It was left as it is.');

export class Vault {
  readonly #o: VaultOptions;
  readonly #iterations: number;
  /** The unlocked keys, mirrored from `storage.session`; `undefined` until first read. */
  #unlocked: Unlocked | null | undefined;
  #lock: Promise<unknown> = Promise.resolve();

  constructor(options: VaultOptions) {
    this.#o = options;
    this.#iterations = options.iterations ?? DEFAULT_ITERATIONS;
  }

  /** Where the vault stands. Never throws for a missing or locked vault. */
  async status(): Promise<VaultStatus> {
    const [record, throttle, unlocked] = await Promise.all([this.#record(), this.#throttle(), this.#session()]);
    return {
      exists: record !== undefined,
      unlocked: record !== undefined && unlocked !== null,
      accounts: record?.accounts ?? [],
      retryAfterMs: retryAfterMs(throttle, this.#o.now()),
    };
  }

  /** Whether the vault is unlocked; cheap after the first call of a worker's life. */
  async isUnlocked(): Promise<boolean> {
    return (await this.#session()) !== null;
  }

  /**
   * Creates the vault from a new or imported master key and leaves it unlocked.
   * @throws ProviderRpcError -32602 when a vault exists, the password is too short, or the secret is invalid
   */
  create(source: MasterSource, password: string): Promise<VaultStatus> {
    return this.#serial(async () => {
      checkNewPassword(password);
      if (await this.#record()) throw invalidParams('A vault already exists; Keyhold holds one master key.');
      let secret;
      try {
        secret = await deriveSecret(source);
      } catch (err) {
        if (err instanceof InvalidSecretError) throw invalidParams(err.message);
        throw err;
      }
      const accounts = accountsOf(secret).map((a) => a.address);
      const record = await seal(encodeSecret(secret), password, accounts, this.#o.now(), this.#iterations);
      await this.#o.db.add('vault', record);
      await this.#o.db.delete('vault', 'throttle');
      await this.#setUnlocked(secret.keys);
      return this.status();
    });
  }

  /**
   * Unlocks with the password.
   * @throws ProviderRpcError 4100 with no vault or a wrong password; -32005 while throttled;
   *   -32603 when the record is damaged (it is left untouched)
   */
  unlock(password: unknown): Promise<VaultStatus> {
    return this.#serial(async () => {
      if (typeof password !== 'string' || password.length > MAX_PASSWORD_CHARS) throw invalidParams('password must be a string.');
      const record = await this.#requireRecord();
      const wait = retryAfterMs(await this.#throttle(), this.#o.now());
      if (wait > 0) {
        throw limitExceeded(`Too many wrong passwords: try again in ${Math.ceil(wait / 1000)} seconds.`);
      }
      const plaintext = await this.#openPlaintext(record, password);
      try {
        let keys: string[];
        try {
          keys = decodeSecret(plaintext).keys;
        } catch {
          throw damaged();
        }
        await this.#o.db.delete('vault', 'throttle');
        await this.#setUnlocked(keys);
        if (needsRekey(record, this.#iterations)) {
          // Raise the KDF parameters now that the password is at hand; best effort: the old
          // record still opens, and the next unlock tries again.
          const fresh = await seal(plaintext, password, record.accounts, this.#o.now(), this.#iterations, record.createdAt);
          await this.#o.db.put('vault', fresh).catch(() => undefined);
        }
      } finally {
        plaintext.fill(0);
      }
      return this.status();
    });
  }

  /** Locks: the unlocked keys leave `storage.session` and memory. */
  lock(): Promise<VaultStatus> {
    return this.#serial(async () => {
      await this.#o.area.remove(SESSION_KEY);
      const was = this.#unlocked;
      this.#unlocked = null;
      this.#o.timer?.clear();
      if (was) this.#o.onChange?.();
      return this.status();
    });
  }

  /**
   * Re-encrypts the vault under a new password: one `put` of a whole new record.
   * @throws ProviderRpcError 4100 for a wrong current password; -32602 for a too short new one
   */
  changePassword(oldPassword: unknown, newPassword: unknown): Promise<{ ok: true }> {
    return this.#serial(async () => {
      if (typeof oldPassword !== 'string') throw invalidParams('oldPassword must be a string.');
      const next = checkNewPassword(newPassword, 'newPassword');
      const record = await this.#requireRecord();
      const wait = retryAfterMs(await this.#throttle(), this.#o.now());
      if (wait > 0) throw limitExceeded(`Too many wrong passwords: try again in ${Math.ceil(wait / 1000)} seconds.`);
      const plaintext = await this.#openPlaintext(record, oldPassword);
      const fresh = await seal(plaintext, next, record.accounts, this.#o.now(), this.#iterations, record.createdAt);
      plaintext.fill(0);
      await this.#o.db.put('vault', fresh);
      return { ok: true as const };
    });
  }

  /**
   * The unlocked accounts, for signing. Counts as use of the master key (auto-lock timer).
   * @throws ProviderRpcError 4100 when there is no vault or it is locked
   */
  async accounts(): Promise<MasterAccount[]> {
    const record = await this.#record();
    if (!record) throw unauthorized(NO_VAULT_MESSAGE);
    const unlocked = await this.#session();
    if (!unlocked) throw unauthorized(LOCKED_MESSAGE);
    await this.touch();
    return unlocked.keys.map((hex) => {
      const privateKey = hexToBytes(hex);
      return { address: addressOf(privateKey), privateKey };
    });
  }

  /** Records use of the master key and pushes the auto-lock back. */
  async touch(): Promise<void> {
    const unlocked = await this.#session();
    if (!unlocked) return;
    const next = { ...unlocked, lastActivity: this.#o.now() };
    this.#unlocked = next;
    await this.#o.area.set({ [SESSION_KEY]: next });
    await this.#schedule(next.lastActivity);
  }

  /** Locks when the vault has been idle for the auto-lock time; otherwise re-arms the timer. Returns whether it locked. */
  async lockIfIdle(): Promise<boolean> {
    const unlocked = await this.#session();
    if (!unlocked) return false;
    const { autoLockMinutes } = await this.settings();
    if (this.#o.now() >= unlocked.lastActivity + autoLockMinutes * 60_000) {
      await this.lock();
      return true;
    }
    await this.#schedule(unlocked.lastActivity);
    return false;
  }

  async settings(): Promise<SettingsRecord> {
    const s = await this.#o.db.get('vault', 'settings');
    return s && s.id === 'settings' ? { ...DEFAULT_SETTINGS, ...s } : DEFAULT_SETTINGS;
  }

  async setSettings(change: Partial<Omit<SettingsRecord, 'id'>>): Promise<SettingsRecord> {
    const next: SettingsRecord = { ...(await this.settings()), ...change, id: 'settings' };
    await this.#o.db.put('vault', next);
    const unlocked = await this.#session();
    if (unlocked) await this.#schedule(unlocked.lastActivity);
    return next;
  }

  // ---- internals ----

  async #schedule(lastActivity: number): Promise<void> {
    if (!this.#o.timer) return;
    const { autoLockMinutes } = await this.settings();
    this.#o.timer.schedule(lastActivity + autoLockMinutes * 60_000);
  }

  async #setUnlocked(keys: string[]): Promise<void> {
    const unlocked: Unlocked = { keys, lastActivity: this.#o.now() };
    await this.#o.area.set({ [SESSION_KEY]: unlocked });
    this.#unlocked = unlocked;
    await this.#schedule(unlocked.lastActivity);
    this.#o.onChange?.();
  }

  async #session(): Promise<Unlocked | null> {
    if (this.#unlocked !== undefined) return this.#unlocked;
    const stored = (await this.#o.area.get(SESSION_KEY))[SESSION_KEY];
    // Set only if nothing set it meanwhile (an unlock racing this first read wins).
    if (this.#unlocked === undefined) this.#unlocked = isUnlocked(stored) ? stored : null;
    return this.#unlocked;
  }

  async #record(): Promise<VaultRecord | undefined> {
    const r = await this.#o.db.get('vault', 'master');
    if (r === undefined) return undefined;
    if (!isVaultRecord(r)) throw damaged();
    return r;
  }

  async #requireRecord(): Promise<VaultRecord> {
    const record = await this.#record();
    if (!record) throw unauthorized(NO_VAULT_MESSAGE);
    return record;
  }

  async #throttle(): Promise<ThrottleRecord | undefined> {
    const t = await this.#o.db.get('vault', 'throttle');
    return t && t.id === 'throttle' ? t : undefined;
  }

  /** Decrypts, counting a wrong password; never changes the vault record. */
  async #openPlaintext(record: VaultRecord, password: string): Promise<Uint8Array> {
    try {
      return await open(record, password);
    } catch (err) {
      if (err instanceof WrongPasswordError) {
        const before = await this.#throttle();
        const failures = (before?.failures ?? 0) + 1;
        await this.#o.db.put('vault', { id: 'throttle', failures, lastFailureAt: this.#o.now() });
        const wait = retryAfterMs({ id: 'throttle', failures, lastFailureAt: this.#o.now() }, this.#o.now());
        throw new ProviderRpcError(
          ErrorCode.Unauthorized,
          wait > 0 ? `Wrong password. Try again in ${Math.ceil(wait / 1000)} seconds.` : 'Wrong password.',
          { failures, retryAfterMs: wait },
        );
      }
      if (err instanceof DamagedVaultError) throw damaged();
      throw err;
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }
}
