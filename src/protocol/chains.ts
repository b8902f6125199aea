/**
 * The chains Keyhold knows without being told: `wallet_switchEthereumChain` may switch to these
 * (with the user's approval); any other chain must first be added by `wallet_addEthereumChain`.
 * The chain id decides EIP-712 domains and SIWE chain ids, so switching is never silent.
 * @module
 */
import knownChains from './known-chains.json' with { type: 'json' };

export interface ChainInfo {
  /** 0x-hex, lower case, no leading zeros (as `eth_chainId` answers). */
  chainId: string;
  name: string;
}

/** Well-known chains, by their 0x-hex id: a data table, kept as data in `known-chains.json`. */
export const KNOWN_CHAINS: readonly ChainInfo[] = knownChains;

/** A 0x-hex chain id as EIP-3085/3326 and `eth_chainId` write it: no leading zeros, at most 2^53-1. */
export const CHAIN_ID_HEX = /^0x[1-9a-f][0-9a-f]{0,13}$/;

export const knownChain = (chainId: string): ChainInfo | undefined => KNOWN_CHAINS.find((c) => c.chainId === chainId);

/** The decimal form, for people. */
export const chainDecimal = (chainId: string): string => BigInt(chainId).toString(10);
