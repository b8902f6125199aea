/**
 * A test page's use of `@keyhold/client` (from its source): the client's functions and a demo
 * EIP-1193 wallet (a secp256k1 key in the page, as a browser wallet holds it) on `window.kh`.
 * Bundled into the page by the end-to-end tests; not part of Keyhold.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import * as client from '../../packages/client/src/index.js';

const secret = secp256k1.utils.randomSecretKey();
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const address = `0x${hex(keccak_256(secp256k1.getPublicKey(secret, false).subarray(1)).subarray(-20))}`;

/** The page's own wallet: accounts and personal_sign (EIP-191) of 0x-hex data. */
const wallet: client.Eip1193Provider = {
  async request({ method, params }) {
    if (method === 'eth_accounts' || method === 'eth_requestAccounts') return [address];
    if (method !== 'personal_sign') throw Object.assign(new Error(`no ${method}`), { code: 4200 });
    const data = (params as [string])[0];
    const message = Uint8Array.from(data.slice(2).match(/../g) ?? [], (h) => parseInt(h, 16));
    const digest = keccak_256(new Uint8Array([...new TextEncoder().encode(`\x19Ethereum Signed Message:\n${message.length}`), ...message]));
    const rec = secp256k1.sign(digest, secret, { prehash: false, format: 'recovered' });
    return `0x${hex(rec.subarray(1))}${(27 + rec[0]!).toString(16)}`;
  },
};

(window as unknown as { kh: unknown }).kh = { ...client, wallet, address };
