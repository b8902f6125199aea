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
  vault_changePassword: { params: { oldPassword: string; newPassword: string }; result: { ok: true } };
  vault_setSettings: { params: { autoLockMinutes?: number; chainId?: string }; result: VaultView };
  /** The master's personal_sign of an API key's canonical revoke message (`spec/api-keys.md`); works without the key itself. */
  apiKey_signRevoke: {
    params: { address: string; publicKeyHex: string; name: string };
    result: { message: string; signature: { r: string; s: string; v: number } };
  };
  permission_list: { params: Record<string, never>; result: ConnectedSite[] };
  permission_revoke: { params: { origin: string }; result: { revoked: boolean } };
}
