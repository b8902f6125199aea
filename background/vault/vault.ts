/**
 * The vault: the master key, encrypted at rest in IndexedDB, unlocked into `storage.session`.
 *
 * - Unlocked keys live in `storage.session` (memory only, trusted contexts only), so a worker
 *   restart keeps the vault unlocked and a browser restart starts locked. Locking removes them.
 * - Wrong passwords are counted on disk; past five, each one doubles the wait (`throttle.ts`).
 * - The secret is encrypted under a random vault key, wrapped by the password and by each
 *   enrolled passkey (`cipher.ts`); unlocked, the vault key is kept beside the accounts' keys so
 *   an account can be added without the password.
 * - Every change of the stored vault is one `put` of a whole new record (adding an account:
 *   one transaction for the record and the names), so a crash leaves the old vault or the new
 *   one, never neither.
 * - Records made with weaker KDF parameters than today's, or in format 1, are rewritten on the
 *   next unlock.
 * @module
 */
import { ErrorCode, ProviderRpcError, invalidParams, limitExceeded, unauthorized } from '../../src/protocol/errors.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { KeyholdDb } from '../db.js';
import { bytesToHex as hex } from '@noble/hashes/utils.js';
import {
  DEFAULT_ITERATIONS, DamagedVaultError, WrongPasskeyError, WrongPasswordError, decryptData, encryptData, needsRekey, openV1, seal,
  unwrapWithPasskey, unwrapWithPassword, wrapForPasskey, wrapForPassword, type VaultRecord, type VaultRecordV1, type VaultRecordV2,
} from './cipher.js';
import { DEFAULT_SETTINGS, MAX_PASSKEYS, isAccountsRecord, isVaultRecord, type AccountsRecord, type SettingsRecord, type ThrottleRecord } from './records.js';
import {
  InvalidSecretError, MAX_ACCOUNTS, accountsOf, addressOf, decodeSecret, deriveAccountKey, deriveSecret, encodeSecret,
  type MasterAccount, type MasterSecret, type MasterSource,
} from './secret.js';
import { toBase64Url } from '../../src/encoding/base64url.js';
import type { PasskeyView } from '../../src/protocol/vault-rpc.js';
import { retryAfterMs } from './throttle.js';
import { fieldsOf } from '../../src/protocol/fields.js';
import { logError } from '../platform/log.js';
import { SerialLock } from '../platform/serial.js';
import type { StorageArea } from '../platform/storage.js';

export const MIN_PASSWORD_CHARS = 8;
export const MAX_PASSWORD_CHARS = 1024;
/** The `storage.session` key of the unlocked keys. */
export const SESSION_KEY = 'vaultUnlocked';

export const LOCKED_MESSAGE = 'Keyhold is locked: unlock it to use your master key.';
export const NO_VAULT_MESSAGE = 'Keyhold has no master key yet: create or import a vault from the Keyhold popup.';

/** Schedules the auto-lock check (`auto-lock.ts`). */
export interface LockTimer {
  schedule(atMs: number): void;
  clear(): void;
}

export interface VaultOptions {
  db: KeyholdDb;
  area: StorageArea;
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
  /** The vault key, 64 hex digits (absent when unlocked before format 2). */
  vaultKey?: string;
}

export interface VaultStatus {
  exists: boolean;
  unlocked: boolean;
  /** Checksummed addresses, in account order; known even while locked. */
  accounts: string[];
  /** ms before another unlock attempt is allowed (after wrong passwords). */
  retryAfterMs: number;
  /** Each account's name, in account order ("Account N" unless the user named it). */
  names: string[];
  /** The selected account (checksummed): what a new connection offers by default; null without a vault. */
  selected: string | null;
  /** Whether "add an account" can derive another one (a recovery-phrase vault below the limit). */
  canAddAccount: boolean;
  /** Passkeys enrolled to unlock the vault. */
  passkeys: PasskeyView[];
}

const HEX_KEY = /^[0-9a-f]{64}$/;
function isUnlocked(v: unknown): v is Unlocked {
  if (typeof v !== 'object' || v === null) return false;
  const u = fieldsOf<Unlocked>(v);
  return Array.isArray(u.keys) && u.keys.every((k) => typeof k === 'string' && HEX_KEY.test(k)) &&
    typeof u.lastActivity === 'number' && (u.vaultKey === undefined || (typeof u.vaultKey === 'string' && HEX_KEY.test(u.vaultKey)));
}

/** The longest account or passkey name. */
export const MAX_NAME_CHARS = 64;

/** @throws ProviderRpcError -32602 unless 1 to 64 characters without control characters. */
export function checkName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string') throw invalidParams(`${field} must be a string.`);
  const t = name.trim();
  if (t.length < 1 || [...t].length > MAX_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(t)) {
    throw invalidParams(`${field} must be 1 to ${MAX_NAME_CHARS} characters, without control characters.`);
  }
  return t;
}

export const defaultAccountName = (i: number): string => `Account ${i + 1}`;

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
  readonly #lock = new SerialLock();

  constructor(options: VaultOptions) {
    this.#o = options;
    this.#iterations = options.iterations ?? DEFAULT_ITERATIONS;
  }

  /** Where the vault stands. Never throws for a missing or locked vault. */
  async status(): Promise<VaultStatus> {
    const [record, throttle, unlocked, meta] = await Promise.all([this.#record(), this.#throttle(), this.#session(), this.#meta()]);
    const accounts = record?.accounts ?? [];
    const lower = accounts.map((a) => a.toLowerCase());
    const selectedAt = Math.max(0, meta.selected === undefined ? 0 : lower.indexOf(meta.selected));
    return {
      exists: record !== undefined,
      unlocked: record !== undefined && unlocked !== null,
      accounts,
      retryAfterMs: retryAfterMs(throttle, this.#o.now()),
      names: lower.map((a, i) => meta.names[a] ?? defaultAccountName(i)),
      selected: accounts[selectedAt] ?? null,
      canAddAccount: record?.format === 2 && record.kind === 'mnemonic' && accounts.length < MAX_ACCOUNTS,
      passkeys: record?.format === 2
        ? record.passkeys.map((p) => ({ id: toBase64Url(p.credentialId), prfSalt: toBase64Url(p.prfSalt), name: p.name, createdAt: p.createdAt }))
        : [],
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
      const { record, vaultKey } = await seal(encodeSecret(secret), password, { kind: secret.kind, accounts }, this.#o.now(), this.#iterations);
      await this.#o.db.add('vault', record);
      await this.#o.db.delete('vault', 'throttle');
      await this.#o.db.delete('vault', 'accounts');
      await this.#setUnlocked(secret.keys, vaultKey);
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
      await this.#throttled();
      if (record.format === 1) return this.#unlockV1(record, password);
      const vaultKey = await this.#unwrapCounting(record, password);
      const keys = await this.#keysOf(record, vaultKey);
      await this.#o.db.delete('vault', 'throttle');
      await this.#setUnlocked(keys, vaultKey);
      if (needsRekey(record, this.#iterations)) {
        // Raise the KDF parameters now that the password is at hand; best effort: the old
        // record still opens, and the next unlock tries again.
        const pw = await wrapForPassword(vaultKey, password, this.#iterations);
        await this.#o.db.put('vault', { ...record, ...pw, updatedAt: this.#o.now() }).catch((err: unknown) => logError('vault re-key', err));
      }
      return this.status();
    });
  }

  /**
   * Unlocks with an enrolled passkey's PRF output (`prf.results.first` of a WebAuthn assertion
   * asked with the passkey's `prfSalt`). The password stays the way back in.
   * @throws ProviderRpcError 4100 with no vault, or when the passkey does not unlock it
   */
  unlockWithPasskey(credentialId: Uint8Array, prfOutput: Uint8Array): Promise<VaultStatus> {
    return this.#serial(async () => {
      const record = await this.#requireRecord();
      if (record.format !== 2) throw unauthorized('Unlock with your password once: this vault has no passkeys yet.');
      let vaultKey: Uint8Array;
      try {
        vaultKey = await unwrapWithPasskey(record, credentialId, prfOutput);
      } catch (err) {
        if (err instanceof WrongPasskeyError) throw unauthorized(err.message);
        throw err;
      }
      await this.#setUnlocked(await this.#keysOf(record, vaultKey), vaultKey);
      return this.status();
    });
  }

  /**
   * Enrolls a passkey: wraps the vault key by the key derived from its PRF output. Asks for the
   * password (as a change of password does), so an unlocked but unattended browser cannot gain
   * a lasting way in. One `put`.
   * @throws ProviderRpcError 4100 for a wrong password; -32602 for a passkey already enrolled or too many
   */
  addPasskey(p: { password: unknown; credentialId: Uint8Array; prfSalt: Uint8Array; prfOutput: Uint8Array; name: string }): Promise<VaultStatus> {
    return this.#serial(async () => {
      if (typeof p.password !== 'string') throw invalidParams('password must be a string.');
      const record = await this.#requireV2();
      if (record.passkeys.some((k) => hex(k.credentialId) === hex(p.credentialId))) throw invalidParams('That passkey already unlocks this vault.');
      if (record.passkeys.length >= MAX_PASSKEYS) throw invalidParams(`A vault takes at most ${MAX_PASSKEYS} passkeys; remove one first.`);
      await this.#throttled();
      const vaultKey = await this.#unwrapCounting(record, p.password);
      const wrap = await wrapForPasskey(vaultKey, { ...p, createdAt: this.#o.now() });
      vaultKey.fill(0);
      await this.#o.db.put('vault', { ...record, passkeys: [...record.passkeys, wrap], updatedAt: this.#o.now() });
      this.#o.onChange?.();
      return this.status();
    });
  }

  /**
   * Checks the password without changing anything but the wrong-password count, so the popup
   * can refuse a wrong password before the browser makes a passkey that would then be useless.
   * @throws ProviderRpcError 4100 for a wrong password; -32005 while throttled
   */
  checkPassword(password: unknown): Promise<{ ok: true }> {
    return this.#serial(async () => {
      if (typeof password !== 'string') throw invalidParams('password must be a string.');
      const record = await this.#requireRecord();
      await this.#throttled();
      if (record.format === 1) (await this.#openPlaintext(record, password)).fill(0);
      else (await this.#unwrapCounting(record, password)).fill(0);
      await this.#o.db.delete('vault', 'throttle');
      return { ok: true as const };
    });
  }

  /**
   * Removes a passkey's way in (the vault must be unlocked). One `put`.
   * @throws ProviderRpcError 4100 when locked; -32602 when no such passkey is enrolled
   */
  removePasskey(credentialId: Uint8Array): Promise<VaultStatus> {
    return this.#serial(async () => {
      const record = await this.#requireV2();
      if (!(await this.#session())) throw unauthorized(LOCKED_MESSAGE);
      const rest = record.passkeys.filter((k) => hex(k.credentialId) !== hex(credentialId));
      if (rest.length === record.passkeys.length) throw invalidParams('No such passkey unlocks this vault.');
      await this.#o.db.put('vault', { ...record, passkeys: rest, updatedAt: this.#o.now() });
      this.#o.onChange?.();
      return this.status();
    });
  }

  /**
   * Derives the next account (m/44'/60'/0'/0/n) from the recovery phrase and stores it: the
   * secret re-encrypted under the same vault key, and its name, in one transaction.
   * @throws ProviderRpcError 4100 when locked; -32602 for a private-key vault or at the limit
   */
  addAccount(name?: string): Promise<VaultStatus> {
    return this.#serial(async () => {
      const record = await this.#requireV2();
      const unlocked = await this.#session();
      if (!unlocked) throw unauthorized(LOCKED_MESSAGE);
      if (!unlocked.vaultKey) throw unauthorized('Lock Keyhold and unlock it again to add an account.');
      const vaultKey = hexToBytes(unlocked.vaultKey);
      const plaintext = await this.#decrypt(record, vaultKey);
      let secret: MasterSecret;
      let key: string;
      try {
        secret = decodeSecret(plaintext);
        key = await deriveAccountKey(secret, secret.keys.length);
      } catch (err) {
        if (err instanceof InvalidSecretError) throw invalidParams(err.message);
        throw err;
      } finally {
        plaintext.fill(0);
      }
      const next: MasterSecret = { ...secret, keys: [...secret.keys, key] };
      const address = addressOf(hexToBytes(key));
      const data = await encryptData(vaultKey, encodeSecret(next), { kind: record.kind, accounts: [...record.accounts, address] });
      const meta = await this.#meta();
      // One transaction: the record and the new account's name commit together or not at all.
      const tx = this.#o.db.transaction('vault', 'readwrite');
      await Promise.all([
        tx.store.put({ ...record, ...data, updatedAt: this.#o.now() }),
        name === undefined ? undefined : tx.store.put({ ...meta, names: { ...meta.names, [address.toLowerCase()]: name } }),
        tx.done,
      ]);
      await this.#setUnlocked(next.keys, vaultKey);
      return this.status();
    });
  }

  /** Names an account. @throws ProviderRpcError -32602 when it is not one of the vault's */
  renameAccount(address: string, name: string): Promise<VaultStatus> {
    return this.#serial(async () => {
      const a = await this.#accountIn(address);
      const meta = await this.#meta();
      await this.#o.db.put('vault', { ...meta, names: { ...meta.names, [a]: name } });
      this.#o.onChange?.();
      return this.status();
    });
  }

  /** Selects the account new connections offer by default. @throws ProviderRpcError -32602 when it is not one of the vault's */
  selectAccount(address: string): Promise<VaultStatus> {
    return this.#serial(async () => {
      const a = await this.#accountIn(address);
      await this.#o.db.put('vault', { ...(await this.#meta()), selected: a });
      this.#o.onChange?.();
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
      await this.#throttled();
      if (record.format === 1) {
        const plaintext = await this.#openPlaintext(record, oldPassword);
        const secret = this.#decodeOrDamaged(plaintext);
        const { record: fresh } = await seal(plaintext, next, { kind: secret.kind, accounts: record.accounts }, this.#o.now(), this.#iterations, record.createdAt);
        plaintext.fill(0);
        await this.#o.db.put('vault', fresh);
        return { ok: true as const };
      }
      // Only the password's wrap changes: the secret and the passkeys' wraps stay as they are.
      const vaultKey = await this.#unwrapCounting(record, oldPassword);
      const pw = await wrapForPassword(vaultKey, next, this.#iterations);
      vaultKey.fill(0);
      await this.#o.db.put('vault', { ...record, ...pw, updatedAt: this.#o.now() });
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

  async #setUnlocked(keys: string[], vaultKey?: Uint8Array): Promise<void> {
    const unlocked: Unlocked = { keys, lastActivity: this.#o.now() };
    if (vaultKey) unlocked.vaultKey = hex(vaultKey);
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

  async #requireV2(): Promise<VaultRecordV2> {
    const record = await this.#requireRecord();
    if (record.format !== 2) throw unauthorized('Unlock with your password once first: the vault is upgraded then.');
    return record;
  }

  async #meta(): Promise<AccountsRecord> {
    const m = await this.#o.db.get('vault', 'accounts');
    return isAccountsRecord(m) ? m : { id: 'accounts', names: {} };
  }

  /** The lower-case address when it is one of the vault's. */
  async #accountIn(address: string): Promise<string> {
    const record = await this.#requireRecord();
    const a = address.toLowerCase();
    if (!record.accounts.some((x) => x.toLowerCase() === a)) throw invalidParams('That address is not an account of this vault.');
    return a;
  }

  async #throttled(): Promise<void> {
    const wait = retryAfterMs(await this.#throttle(), this.#o.now());
    if (wait > 0) throw limitExceeded(`Too many wrong passwords: try again in ${Math.ceil(wait / 1000)} seconds.`);
  }

  #decodeOrDamaged(plaintext: Uint8Array): MasterSecret {
    try {
      return decodeSecret(plaintext);
    } catch {
      throw damaged();
    }
  }

  async #decrypt(record: VaultRecordV2, vaultKey: Uint8Array): Promise<Uint8Array> {
    try {
      return await decryptData(record, vaultKey);
    } catch (err) {
      if (err instanceof DamagedVaultError) throw damaged();
      throw err;
    }
  }

  /** The accounts' keys in a format-2 record. */
  async #keysOf(record: VaultRecordV2, vaultKey: Uint8Array): Promise<string[]> {
    const plaintext = await this.#decrypt(record, vaultKey);
    try {
      return this.#decodeOrDamaged(plaintext).keys;
    } finally {
      plaintext.fill(0);
    }
  }

  /** The vault key by the password, counting a wrong one. */
  async #unwrapCounting(record: VaultRecordV2, password: string): Promise<Uint8Array> {
    return this.#counting(() => unwrapWithPassword(record, password));
  }

  /** A format-1 record: opens it, then rewrites it as format 2 (best effort, like a re-key). */
  async #unlockV1(record: VaultRecordV1, password: string): Promise<VaultStatus> {
    const plaintext = await this.#openPlaintext(record, password);
    try {
      const secret = this.#decodeOrDamaged(plaintext);
      await this.#o.db.delete('vault', 'throttle');
      let vaultKey: Uint8Array | undefined;
      try {
        const fresh = await seal(plaintext, password, { kind: secret.kind, accounts: record.accounts }, this.#o.now(), this.#iterations, record.createdAt);
        await this.#o.db.put('vault', fresh.record);
        vaultKey = fresh.vaultKey;
      } catch (err) {
        // The format-1 record still opens; the next unlock tries again.
        logError('vault format-1 rewrite', err);
      }
      await this.#setUnlocked(secret.keys, vaultKey);
    } finally {
      plaintext.fill(0);
    }
    return this.status();
  }

  async #throttle(): Promise<ThrottleRecord | undefined> {
    const t = await this.#o.db.get('vault', 'throttle');
    return t && t.id === 'throttle' ? t : undefined;
  }

  /** Decrypts a format-1 record, counting a wrong password; never changes the vault record. */
  #openPlaintext(record: VaultRecordV1, password: string): Promise<Uint8Array> {
    return this.#counting(() => openV1(record, password));
  }

  /** Runs a password check, counting a wrong password on disk; never changes the vault record. */
  async #counting<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
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
    return this.#lock.run(fn);
  }
}
