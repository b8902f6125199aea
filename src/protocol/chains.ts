/**
 * The chains Keyhold knows without being told: `wallet_switchEthereumChain` may switch to these
 * (with the user's approval); any other chain must first be added by `wallet_addEthereumChain`.
 * The chain id decides EIP-712 domains and SIWE chain ids, so switching is never silent.
 * @module
 */

export interface ChainInfo {
  /** 0x-hex, lower case, no leading zeros (as `eth_chainId` answers). */
  chainId: string;
  name: string;
}

/** Well-known chains, by their 0x-hex id. */
export const KNOWN_CHAINS: readonly ChainInfo[] = [
  { chainId: '0x1', name: 'Ethereum' },
  { chainId: '0xa', name: 'OP Mainnet' },
  { chainId: '0x38', name: 'BNB Smart Chain' },
  { chainId: '0x64', name: 'Gnosis' },
  { chainId: '0x89', name: 'Polygon' },
  { chainId: '0x144', name: 'zkSync Era' },
  { chainId: '0x2105', name: 'Base' },
  { chainId: '0xa4b1', name: 'Arbitrum One' },
  { chainId: '0xa86a', name: 'Avalanche C-Chain' },
  { chainId: '0xe708', name: 'Linea' },
  { chainId: '0x4268', name: 'Holesky' },
  { chainId: '0xaa36a7', name: 'Sepolia' },
  { chainId: '0x14a34', name: 'Base Sepolia' },
];

/** A 0x-hex chain id as EIP-3085/3326 and `eth_chainId` write it: no leading zeros, at most 2^53-1. */
export const CHAIN_ID_HEX = /^0x[1-9a-f][0-9a-f]{0,13}$/;

export const knownChain = (chainId: string): ChainInfo | undefined => KNOWN_CHAINS.find((c) => c.chainId === chainId);

/** The decimal form, for people. */
export const chainDecimal = (chainId: string): string => BigInt(chainId).toString(10);
