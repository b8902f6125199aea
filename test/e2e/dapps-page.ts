/**
 * The e2e page of `dapps.test.ts`, bundled with esbuild: Keyhold called the way today's dapps
 * call a wallet. MetaMask's test dapp's own params (web3.js's personal_sign password, typed data
 * as a JSON string), ethers v6's BrowserProvider, viem's wallet client (switchChain, addChain)
 * and an exchange page that registers an API key at its service and signs orders with it.
 * Keyhold is found by EIP-6963 (mipd). Everything is on `window.dappsTest` for `page.evaluate`.
 * @module
 */
import { BrowserProvider, isError } from 'ethers';
import { createStore } from 'mipd';
import { createWalletClient, custom, defineChain, verifyMessage, verifyTypedData, type EIP1193Provider } from 'viem';
import { mainnet } from 'viem/chains';

const store = createStore();
const events: { event: string; data: unknown }[] = [];

function keyhold(): EIP1193Provider {
  const detail = store.findProvider({ rdns: 'dev.keyhold' });
  if (!detail) throw new Error('Keyhold was not discovered by EIP-6963');
  return detail.provider as EIP1193Provider;
}

type Outcome = { result: unknown } | { error: { code?: number | undefined; message?: string | undefined } };

async function raw(method: string, params?: unknown): Promise<Outcome> {
  try {
    return { result: await keyhold().request({ method, params } as never) };
  } catch (e) {
    const err = e as { code?: number; message?: string };
    return { error: { code: err.code, message: err.message } };
  }
}

const toHex = (text: string): string => `0x${Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0')).join('')}`;
const wallet = () => createWalletClient({ chain: mainnet, transport: custom(keyhold()) });
const b64 = (text: string): string => btoa(text);

const api = {
  listen() {
    for (const event of ['accountsChanged', 'chainChanged', 'connect', 'disconnect']) {
      keyhold().on(event as 'connect', (data: unknown) => events.push({ event, data }));
    }
  },
  events: () => events.slice(),
  clearEvents: () => void events.splice(0),
  raw,
  /** MetaMask's test dapp "Personal Sign": [hex, account, 'Example password'], then personal_ecRecover. */
  async web3PersonalSign(account: string, text: string) {
    const hex = toHex(text);
    const signed = await raw('personal_sign', [hex, account, 'Example password']);
    if ('error' in signed) return signed;
    const signature = signed.result as `0x${string}`;
    const recovered = await raw('personal_ecRecover', [hex, signature]);
    return { signature, recovered, valid: await verifyMessage({ address: account as `0x${string}`, message: text, signature }) };
  },
  /** MetaMask's test dapp "Sign Typed Data V4": the typed data as a JSON string; checked by viem on the page's own data. */
  async signTypedJson(account: string, typed: Record<string, unknown>) {
    const signed = await raw('eth_signTypedData_v4', [account, JSON.stringify(typed)]);
    if ('error' in signed) return signed;
    const signature = signed.result as `0x${string}`;
    return { signature, valid: await verifyTypedData({ address: account as `0x${string}`, ...(typed as object), signature } as never) };
  },
  /** ethers v6 over Keyhold: what error an unsupported method becomes. */
  async ethersSend(method: string, params: unknown[]) {
    try {
      await new BrowserProvider(keyhold() as never).send(method, params);
      return null;
    } catch (e) {
      return { code: (e as { code?: string }).code, unsupported: isError(e, 'UNSUPPORTED_OPERATION'), shortMessage: (e as { shortMessage?: string }).shortMessage };
    }
  },
  /** viem's switchChain, as wagmi calls it; answers the chain id after, or the error's code and name. */
  async viemSwitch(id: number) {
    try {
      await wallet().switchChain({ id });
      return { chainId: await wallet().getChainId() };
    } catch (e) {
      return { error: { code: (e as { code?: number }).code, name: (e as { name?: string }).name } };
    }
  },
  async viemAdd(id: number, name: string) {
    const chain = defineChain({ id, name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: ['http://127.0.0.1:8545'] } } });
    try {
      await wallet().addChain({ chain });
      return { chainId: await wallet().getChainId() };
    } catch (e) {
      return { error: { code: (e as { code?: number }).code, name: (e as { name?: string }).name } };
    }
  },
  /** An exchange page: an API key through Keyhold, registered at the service by the page. */
  async createApiKey(serviceUrl: string, name: string) {
    const made = await raw('keyhold_createApiKey', [{ name, validUntil: Date.now() + 86_400_000, service: { baseUrl: serviceUrl } }]);
    if ('error' in made) return made;
    const key = made.result as { id: string; publicKey: string; address: string; name: string; validUntil: number; signature: unknown };
    const res = await fetch(`${serviceUrl}/api/v1/createApiKey`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: key.address, publicKey: key.publicKey, name: key.name, validUntil: key.validUntil, signature: key.signature }),
    });
    return { key, status: res.status, body: await res.json() };
  },
  /** Signs an order with the API key through Keyhold (no popup); the envelope, not yet sent. */
  async signOrder(keyId: string) {
    return raw('keyhold_signRequest', [{ sessionId: keyId, requestType: 1, body: b64(JSON.stringify({ side: 'buy', qty: 1 })) }]);
  },
  async postOrder(serviceUrl: string, publicKey: string, envelope: unknown) {
    const res = await fetch(`${serviceUrl}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': publicKey },
      body: JSON.stringify(envelope),
    });
    return { status: res.status, body: await res.json() };
  },
};

declare global {
  interface Window {
    dappsTest: typeof api;
  }
}
window.dappsTest = api;
