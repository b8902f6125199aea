/**
 * What `eth_signTypedData_v4` signs, decided before the user is asked: EIP-712 hashes only the
 * fields a struct's type declares, so a message may carry more (Uniswap's PermitBatch, Seaport,
 * "extra data not typed"). Keyhold signs exactly what EIP-712 hashes, as MetaMask's
 * eth-sig-util does: the declared fields, with a missing struct-typed field as zero (v4). The
 * undeclared fields are left out of what is signed and listed, so the window can show them
 * marked "not signed". Every value is checked against its declared type here, so a malformed
 * request is refused in Keyhold's words (naming the path) rather than an encoder's. Pure.
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import { parseAddress } from '../../src/protocol/address.js';
import type { TypedData } from '../../src/protocol/wallet-api.js';

export interface PreparedTypedData {
  /** The typed data with every undeclared field left out: exactly what is hashed and signed. */
  signed: TypedData;
  /** Undeclared fields, by path (`message.details.extra`), with their value as JSON (capped). */
  unsigned: { path: string; value: string }[];
}

/** At most this many undeclared fields are listed (the rest are still left out of the signature). */
export const MAX_UNSIGNED_SHOWN = 50;
const MAX_DEPTH = 32;

const ATOMIC_INT = /^(u?)int([0-9]{0,3})$/;
const ATOMIC_BYTES = /^bytes([0-9]{1,2})$/;
const ARRAY = /^(.+)\[([0-9]*)\]$/;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const clip = (s: string, n = 200): string => (s.length > n ? `${s.slice(0, n)}…` : s);
const shown = (v: unknown): string => {
  try {
    return clip(JSON.stringify(v) ?? String(v));
  } catch {
    return '(not JSON)';
  }
};

/** Checks every type name a struct field uses, once, before any value is looked at. */
function checkTypes(types: TypedData['types']): void {
  for (const [struct, fields] of Object.entries(types)) {
    const names = new Set<string>();
    fields.forEach((f, i) => {
      const where = `typedData.types.${struct}[${i}]`;
      if (!IDENT.test(f.name)) throw invalidParams(`${where}.name "${clip(f.name, 40)}" is not a valid field name.`);
      if (names.has(f.name)) throw invalidParams(`typedData.types.${struct} declares the field "${f.name}" twice.`);
      names.add(f.name);
      let base = f.type;
      // Both groups of ARRAY always take part in a match (the second may be empty).
      for (let m = ARRAY.exec(base); m; m = ARRAY.exec(base)) {
        const [, element = '', length = ''] = m;
        if (length !== '' && !/^[1-9][0-9]{0,5}$/.test(length)) throw invalidParams(`${where}.type "${clip(f.type, 40)}" has a bad array length.`);
        base = element;
      }
      if (own(types, base) || base === 'string' || base === 'bytes' || base === 'bool' || base === 'address') return;
      const int = ATOMIC_INT.exec(base);
      if (int) {
        const [, , digits = ''] = int;
        const bits = digits === '' ? 256 : Number(digits);
        if (bits >= 8 && bits <= 256 && bits % 8 === 0 && !/^0/.test(digits)) return;
        throw invalidParams(`${where}.type "${clip(f.type, 40)}" is not an integer type (int8 … int256, uint8 … uint256, in steps of 8).`);
      }
      const bytes = ATOMIC_BYTES.exec(base);
      if (bytes) {
        const [, digits = ''] = bytes;
        const n = Number(digits);
        if (n >= 1 && n <= 32 && !/^0/.test(digits)) return;
        throw invalidParams(`${where}.type "${clip(f.type, 40)}" is not a bytes type (bytes1 … bytes32, or bytes).`);
      }
      throw invalidParams(`${where}.type "${clip(f.type, 40)}" is neither an EIP-712 type nor a type declared in typedData.types.`);
    });
  }
}

function integer(value: unknown, type: string, path: string): void {
  // checkTypes let only integer types reach here, so ATOMIC_INT matches.
  const m = ATOMIC_INT.exec(type);
  if (!m) throw new TypeError(`${type} is not an integer type`);
  const [, u, b = ''] = m;
  const bits = BigInt(b === '' ? 256 : Number(b));
  let n: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw invalidParams(`${path} must be a whole number for ${type}; write large numbers as a decimal or 0x-hex string.`);
    n = BigInt(value);
  } else if (typeof value === 'string' && (/^-?[0-9]{1,80}$/.test(value) || /^0x[0-9a-fA-F]{1,64}$/.test(value))) {
    n = BigInt(value);
  } else {
    throw invalidParams(`${path} must be a ${type}: a number, or a decimal or 0x-hex string.`);
  }
  const [min, max] = u === 'u' ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
  if (n < min || n > max) throw invalidParams(`${path} is out of range for ${type}.`);
}

function atomic(value: unknown, type: string, path: string): void {
  if (type === 'string') {
    if (typeof value !== 'string') throw invalidParams(`${path} must be a string.`);
  } else if (type === 'bool') {
    if (typeof value !== 'boolean') throw invalidParams(`${path} must be true or false.`);
  } else if (type === 'address') {
    parseAddress(value, path);
  } else if (type === 'bytes') {
    if (typeof value !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(value)) throw invalidParams(`${path} must be bytes as an even number of 0x-hex digits.`);
  } else if (ATOMIC_BYTES.test(type)) {
    const n = Number(ATOMIC_BYTES.exec(type)?.[1]);
    if (typeof value !== 'string' || !new RegExp(`^0x[0-9a-fA-F]{${2 * n}}$`).test(value)) throw invalidParams(`${path} must be ${type}: exactly ${n} bytes of 0x-hex.`);
  } else {
    integer(value, type, path);
  }
}

/**
 * Checks `typed` against its own types and splits it into what is signed and what is not.
 * @throws ProviderRpcError -32602 naming the first thing wrong (path and expected type)
 */
export function prepareTypedData(typed: TypedData): PreparedTypedData {
  checkTypes(typed.types);
  const unsigned: PreparedTypedData['unsigned'] = [];
  const note = (path: string, value: unknown) => {
    if (unsigned.length < MAX_UNSIGNED_SHOWN) unsigned.push({ path, value: shown(value) });
  };

  const encode = (type: string, value: unknown, path: string, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw invalidParams(`typed data nests deeper than ${MAX_DEPTH} levels at ${path}.`);
    const array = ARRAY.exec(type);
    if (array) {
      if (!Array.isArray(value)) throw invalidParams(`${path} must be a list (${type}).`);
      const [, element = '', length = ''] = array;
      if (length !== '' && value.length !== Number(length)) throw invalidParams(`${path} must hold exactly ${length} items (${type}), not ${value.length}.`);
      return value.map((item, i) => encode(element, item, `${path}[${i}]`, depth + 1));
    }
    if (own(typed.types, type)) return struct(type, value, path, depth);
    if (value === undefined || value === null) throw invalidParams(`${path} is missing (declared as ${type}).`);
    atomic(value, type, path);
    return value;
  };

  const struct = (type: string, value: unknown, path: string, depth: number): Record<string, unknown> => {
    if (!isPlainObject(value)) throw invalidParams(`${path} must be an object (${type}).`);
    const out: Record<string, unknown> = {};
    const declared = new Set<string>();
    const fields = typed.types[type];
    if (fields === undefined) throw invalidParams(`${path}: ${clip(type, 40)} is not in typedData.types.`);
    for (const field of fields) {
      declared.add(field.name);
      const v = own(value, field.name) ? value[field.name] : undefined;
      // v4, as eth-sig-util and micro-eth-signer: a missing struct-typed field hashes as zero.
      if ((v === undefined || v === null) && own(typed.types, field.type)) continue;
      out[field.name] = encode(field.type, v, `${path}.${field.name}`, depth + 1);
    }
    for (const key of Object.keys(value)) if (!declared.has(key)) note(`${path}.${key}`, value[key]);
    return out;
  };

  // The domain is a struct too: EIP712Domain as declared, else the fields it has (EIP-712).
  let domain: Record<string, unknown> = typed.domain;
  if (own(typed.types, 'EIP712Domain')) domain = struct('EIP712Domain', typed.domain, 'domain', 0);
  else {
    const known: Record<string, string> = { name: 'string', version: 'string', chainId: 'uint256', verifyingContract: 'address', salt: 'bytes32' };
    for (const [k, v] of Object.entries(typed.domain)) {
      if (v === undefined) continue;
      const type = known[k];
      if (type === undefined) throw invalidParams(`domain.${clip(k, 40)} is not an EIP-712 domain field.`);
      atomic(v, type, `domain.${k}`);
    }
  }
  if (typed.primaryType === 'EIP712Domain') return { signed: { ...typed, domain, message: {} }, unsigned };
  const message = struct(typed.primaryType, typed.message, 'message', 0);
  return { signed: { types: typed.types, primaryType: typed.primaryType, domain, message }, unsigned };
}
