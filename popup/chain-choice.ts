/**
 * The chain a person picks in Settings: by name from Keyhold's well-known chains, or a custom
 * chain id typed in decimal (as chain lists print it: 8453) or 0x-hex (as `eth_chainId` answers).
 * Pure.
 * @module
 */
import { KNOWN_CHAINS, chainDecimal, knownChain } from '../src/protocol/chains.js';

/** The select's value for "custom chain id". */
export const CUSTOM = 'custom';

/** The option to select for a chain id: its own when Keyhold knows it, else {@link CUSTOM}. */
export const chainOption = (chainId: string): string => (knownChain(chainId.toLowerCase()) ? chainId.toLowerCase() : CUSTOM);

/** The chains of the list, each with its decimal id: "Polygon (137)". */
export const chainOptions = (): { value: string; label: string }[] =>
  KNOWN_CHAINS.map((c) => ({ value: c.chainId, label: `${c.name} (${chainDecimal(c.chainId)})` }));

/**
 * A typed chain id as the worker takes it: decimal → 0x-hex, 0x-hex → lower case; anything
 * else comes back trimmed, for the worker to refuse in its own words.
 */
export function customChainId(input: string): string {
  const s = input.trim();
  if (/^[0-9]+$/.test(s)) return `0x${BigInt(s).toString(16)}`;
  if (/^0x[0-9a-f]+$/i.test(s)) return s.toLowerCase();
  return s;
}
