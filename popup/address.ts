/**
 * Ethereum addresses as a person reads them: EIP-55 checksummed, shortened to its ends
 * (`0x1234…abcd`), and an identicon drawn from the address itself, so two accounts look
 * different at a glance. Pure and local: nothing is fetched.
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { byteAt } from '../src/wire/bytes.js';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * The EIP-55 form of a 20-byte hex address (any case in, mixed case out).
 * @throws {TypeError} if `address` is not a string.
 * @throws {RangeError} if it is not `0x` and 40 hex digits.
 */
export function checksumAddress(address: string): string {
  if (typeof address !== 'string') throw new TypeError(`address must be a string, got ${typeof address}`);
  if (!ADDRESS.test(address)) throw new RangeError(`address must be 0x and 40 hex digits, got "${address}"`);
  const lower = address.slice(2).toLowerCase();
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let out = '0x';
  let i = 0;
  for (const ch of lower) out += parseInt(hash.charAt(i++), 16) >= 8 ? ch.toUpperCase() : ch;
  return out;
}

/** `0x1234…abcd`: the first 4 and last 4 hex digits of the checksummed address. */
export function shortAddress(address: string): string {
  const c = checksumAddress(address);
  return `${c.slice(0, 6)}…${c.slice(-4)}`;
}

/** A 5×5 identicon, mirrored left to right: which cells are filled, and two colours. */
export interface Identicon {
  /** 25 cells, row by row. */
  cells: boolean[];
  /** `hsl(…)` of the filled cells. */
  color: string;
  /** `hsl(…)` of the background. */
  background: string;
}

/**
 * The identicon of an address, from the keccak-256 of its lower-case hex (so the checksum's
 * case does not change it): the same address always draws the same picture.
 * @throws as {@link checksumAddress}.
 */
export function identicon(address: string): Identicon {
  const hash = keccak_256(utf8ToBytes(checksumAddress(address).toLowerCase()));
  const hue = ((byteAt(hash, 0) << 8) | byteAt(hash, 1)) % 360;
  const cells: boolean[] = [];
  for (let row = 0; row < 5; row++) {
    const filled = (col: number): boolean => (byteAt(hash, 2 + row * 3 + col) & 1) === 1;
    const left = filled(0);
    const inner = filled(1);
    cells.push(left, inner, filled(2), inner, left);
  }
  return {
    cells,
    color: `hsl(${hue} 62% 42%)`,
    background: `hsl(${(hue + 180) % 360} 55% 90%)`,
  };
}
