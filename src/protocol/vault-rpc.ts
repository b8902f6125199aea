/**
 * The vault's part of the extension-page RPC: what the popup and the approval window may ask
 * about the master key. Merged into `ExtensionMethods` (`extension-rpc.ts`). Passwords and
 * mnemonics travel only between Keyhold's own pages and its worker.
 * @module
 */

/** The vault as the popup sees it: never a secret. */
export interface VaultView {
  exists: boolean;
  unlocked: boolean;
  /** Checksummed addresses (known while locked too). */
  accounts: string[];
  /** ms before another unlock attempt is allowed, after wrong passwords. */
  retryAfterMs: number;
  /** Lock after this many idle minutes (1 … 1440; default 15). */
  autoLockMinutes: number;
  /** What `eth_chainId` answers (default "0x1"). */
  chainId: string;
  /** Each account's name, in account order ("Account N" unless the user named it). */
  names: string[];
  /** The selected account (checksummed): what a connection offers by default; null without a vault. */
  selected: string | null;
  /** Whether another account can be derived (a recovery-phrase vault below 10 accounts). */
  canAddAccount: boolean;
  /** Passkeys that unlock the vault (the password always does too). */
  passkeys: PasskeyView[];
}

/** A passkey enrolled to unlock the vault: its ids, never a secret. */
export interface PasskeyView {
  /** The credential id, base64url (as WebAuthn's `PublicKeyCredential.id`). */
  id: string;
  /** The PRF input (`prf.eval.first`) to ask this passkey with, base64url of 32 bytes. */
  prfSalt: string;
  name: string;
  /** ms since the epoch. */
  createdAt: number;
}

/** A master key to create the vault from. */
export type VaultSecretInput =
  /** A BIP-39 English phrase (12–24 words); accounts m/44'/60'/0'/0/0 … accounts-1 (default 1, at most 10). */
  | { kind: 'mnemonic'; mnemonic: string; accounts?: number }
  /** One secp256k1 private key, 64 hex digits, 0x optional. */
  | { kind: 'privateKey'; privateKey: string };

export interface ConnectedSite {
  origin: string;
  accounts: string[];
  /** ms since the epoch. */
  grantedAt: number;
}

export interface VaultMethods {
  vault_status: { params: Record<string, never>; result: VaultView };
  /** A fresh phrase for the user to write down; nothing is stored until `vault_create`. */
  vault_generateMnemonic: { params: { words?: 12 | 24 }; result: { mnemonic: string } };
  vault_create: { params: { password: string; secret: VaultSecretInput }; result: VaultView };
  vault_unlock: { params: { password: string }; result: VaultView };
  vault_lock: { params: Record<string, never>; result: VaultView };
  /** The PRF output of an enrolled passkey's assertion (asked with its `prfSalt`, rpId = the extension's id). */
  vault_unlockWithPasskey: { params: { credentialId: string; prfOutput: string }; result: VaultView };
  /** Enrolls a passkey (needs the password): `prfOutput` is its PRF output for `prfSalt`; base64url each. */
  vault_addPasskey: { params: { password: string; credentialId: string; prfSalt: string; prfOutput: string; name: string }; result: VaultView };
  /** Checks the password (counted like an unlock), before the browser is asked to make a passkey. */
  vault_checkPassword: { params: { password: string }; result: { ok: true } };
  /** Removes a passkey's way in (vault unlocked). */
  vault_removePasskey: { params: { credentialId: string }; result: VaultView };
  /** Derives the next account m/44'/60'/0'/0/n (vault unlocked, recovery-phrase vault). */
  vault_addAccount: { params: { name?: string }; result: VaultView };
  vault_renameAccount: { params: { address: string; name: string }; result: VaultView };
  /** The account new connections offer by default. */
  vault_selectAccount: { params: { address: string }; result: VaultView };
  vault_changePassword: { params: { oldPassword: string; newPassword: string }; result: { ok: true } };
  vault_setSettings: { params: { autoLockMinutes?: number; chainId?: string }; result: VaultView };
  /** The master's personal_sign of an API key's canonical revoke message (`spec/api-keys.md`); works without the key itself. */
  apiKey_signRevoke: {
    params: { address: string; publicKeyHex: string; name: string };
    result: { message: string; signature: { r: string; s: string; v: number } };
  };
  permission_list: { params: Record<string, never>; result: ConnectedSite[] };
  permission_revoke: { params: { origin: string }; result: { revoked: boolean } };
  /** Changes which of the vault's accounts a connected site sees (at least one); its pages get `accountsChanged`. */
  permission_setAccounts: { params: { origin: string; accounts: string[] }; result: ConnectedSite };
}
