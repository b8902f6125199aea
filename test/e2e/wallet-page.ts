/**
 * The e2e wallet page's script, bundled by `wallet.test.ts` with esbuild: real clients that no
 * one here wrote, driving Keyhold in a real page. mipd finds the provider by EIP-6963; viem's
 * wallet client talks to it over a `custom` transport; viem's own verifiers check the results.
 * Everything is exposed on `window.walletTest` for `page.evaluate`.
 * @module
 */
import { createStore } from 'mipd';
import { createPublicClient, createWalletClient, custom, verifyMessage, verifyTypedData, type EIP1193Provider } from 'viem';
import { mainnet } from 'viem/chains';
import { createSiweMessage, generateSiweNonce, verifySiweMessage } from 'viem/siwe';

const store = createStore();
const events: { event: string; data: unknown }[] = [];

function keyhold(): EIP1193Provider {
  const detail = store.findProvider({ rdns: 'dev.keyhold' });
  if (!detail) throw new Error('Keyhold was not discovered by EIP-6963');
  return detail.provider as EIP1193Provider;
}

const wallet = () => createWalletClient({ chain: mainnet, transport: custom(keyhold()) });
// A public client with no node behind it: verification must not need one (EOA recovery).
const offline = createPublicClient({ chain: mainnet, transport: custom({ request: async () => { throw new Error('no node'); } }) });

const typedData = {
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  types: {
    Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }],
    Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person' }, { name: 'contents', type: 'string' }, { name: 'amount', type: 'uint256' }],
  },
  primaryType: 'Mail',
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
    amount: 10n ** 20n,
  },
} as const;

const api = {
  /** What mipd discovered. */
  discovered: () => store.getProviders().map((p) => ({ ...p.info })),
  /** Listens to the provider's EIP-1193 events. */
  listen() {
    for (const event of ['accountsChanged', 'connect', 'disconnect', 'chainChanged']) {
      keyhold().on(event as 'connect', (data: unknown) => events.push({ event, data }));
    }
  },
  events: () => events,
  async connect() {
    const addresses = await wallet().requestAddresses();
    return { addresses, chainId: await wallet().getChainId(), accounts: await wallet().getAddresses() };
  },
  /** `account`: the address the dapp kept (eth_accounts is [] while Keyhold is locked, as in MetaMask). */
  async signMessage(message: string, kept?: `0x${string}`) {
    const account = kept ?? (await wallet().getAddresses())[0];
    const signature = await wallet().signMessage({ account: account!, message });
    return { signature, valid: await verifyMessage({ address: account!, message, signature }) };
  },
  async signTypedData() {
    const [account] = await wallet().getAddresses();
    const signature = await wallet().signTypedData({ account: account!, ...typedData });
    return { signature, valid: await verifyTypedData({ address: account!, ...typedData, signature }) };
  },
  /** Starts a SIWE sign-in for `domain` (default: this page's host); resolves once signed. */
  async siwe(domain = location.host) {
    const [account] = await wallet().getAddresses();
    const nonce = generateSiweNonce();
    const message = createSiweMessage({
      domain, address: account!, statement: 'Sign in to the e2e dapp.', uri: location.origin, version: '1', chainId: 1, nonce,
      issuedAt: new Date(), expirationTime: new Date(Date.now() + 600_000),
    });
    const signature = await wallet().signMessage({ account: account!, message });
    const valid = await verifySiweMessage(offline, { message, signature, domain, nonce, address: account!, mode: 'eoa' } as Parameters<typeof verifySiweMessage>[1]);
    return { signature, valid, message };
  },
  async error(method: string) {
    try {
      await keyhold().request({ method: method as 'eth_call', params: [] as never });
      return null;
    } catch (e) {
      const err = e as { code?: number; message?: string };
      return { code: err.code, message: err.message };
    }
  },
};

declare global {
  interface Window {
    walletTest: typeof api;
  }
}
window.walletTest = api;
