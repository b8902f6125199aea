/**
 * Bad params for every wallet page method (`src/protocol/wallet-params.ts`), merged into the
 * table of `page-params.test.ts`: each must be a -32602 whose message names the field.
 * @module
 */
import type { WalletMethods } from '../../src/protocol/wallet-api.js';

type Case = [name: string, params: unknown, field: string];

const ADDR = '0x' + 'ab'.repeat(20);
const TYPED = {
  types: { EIP712Domain: [{ name: 'name', type: 'string' }], Mail: [{ name: 'contents', type: 'string' }] },
  primaryType: 'Mail',
  domain: { name: 'x' },
  message: { contents: 'hi' },
};

const noParams = (method: string): Case[] => [
  ['a number', 5, method],
  ['an array with a value', [1], method],
  ['an object', { a: 1 }, method],
];

const permissionCases = (method: string): Case[] => [
  ['absent', undefined, method],
  ['an empty object', [{}], 'eth_accounts'],
  ['another permission', [{ eth_accounts: {}, snap_dialog: {} }], 'snap_dialog'],
  ['eth_accounts with caveats', [{ eth_accounts: { caveats: [] } }], 'caveats'],
  ['two objects', [{ eth_accounts: {} }, {}], method],
];

export const walletCases: Record<keyof WalletMethods, Case[]> = {
  eth_requestAccounts: noParams('eth_requestAccounts'),
  eth_accounts: noParams('eth_accounts'),
  eth_chainId: noParams('eth_chainId'),
  wallet_getPermissions: noParams('wallet_getPermissions'),
  wallet_requestPermissions: permissionCases('wallet_requestPermissions'),
  wallet_revokePermissions: permissionCases('wallet_revokePermissions'),
  personal_sign: [
    ['absent', undefined, 'personal_sign'],
    ['one value', ['0x00'], 'personal_sign'],
    ['four values', ['0x00', ADDR, '', 1], 'personal_sign'],
    ['message a number', [5, ADDR], 'message'],
    ['message null', [null, ADDR], 'message'],
    ['address missing 0x', ['0x00', 'ab'.repeat(20)], 'address'],
    ['address too short', ['0x00', '0x1234'], 'address'],
    ['address a number', ['0x00', 5], 'address'],
    ['a password', ['0x00', ADDR, 'hunter2'], 'password'],
    ['message 65537 bytes of hex', [`0x${'00'.repeat(65_537)}`, ADDR], 'message'],
    ['message 65537 bytes of text', ['a'.repeat(65_537), ADDR], 'message'],
  ],
  eth_signTypedData_v4: [
    ['absent', undefined, 'eth_signTypedData_v4'],
    ['one value', [ADDR], 'eth_signTypedData_v4'],
    ['address not an address', ['x', TYPED], 'address'],
    ['typed data not JSON', [ADDR, '{'], 'JSON'],
    ['typed data a number', [ADDR, 5], 'typedData'],
    ['typed data with an unknown member', [ADDR, { ...TYPED, extra: 1 }], 'extra'],
    ['types not an object', [ADDR, { ...TYPED, types: 5 }], 'typedData.types'],
    ['a type name that is not an identifier', [ADDR, { ...TYPED, types: { ...TYPED.types, 'a b': [] } }], 'a b'],
    ['a __proto__ type', [ADDR, JSON.stringify({ ...TYPED, types: JSON.parse('{"__proto__": []}') })], '__proto__'],
    ['fields not an array', [ADDR, { ...TYPED, types: { Mail: 5 } }], 'typedData.types.Mail'],
    ['a field with no type', [ADDR, { ...TYPED, types: { Mail: [{ name: 'a' }] } }], 'type'],
    ['primaryType not in types', [ADDR, { ...TYPED, primaryType: 'Nope' }], 'primaryType'],
    ['domain with an unknown member', [ADDR, { ...TYPED, domain: { name: 'x', evil: 1 } }], 'evil'],
    ['domain missing', [ADDR, { ...TYPED, domain: undefined }], 'typedData.domain'],
    ['typed data over 64 KiB', [ADDR, JSON.stringify({ ...TYPED, message: { contents: 'a'.repeat(70_000) } })], 'typed data'],
  ],
  keyhold_createApiKey: [
    ['absent', undefined, 'keyhold_createApiKey'],
    ['name missing', [{ validUntil: 1 }], 'name'],
    ['name empty', [{ name: '', validUntil: 1 }], 'name'],
    ['name 65 characters', [{ name: 'a'.repeat(65), validUntil: 1 }], 'name'],
    ['name with a newline', [{ name: 'a\nb', validUntil: 1 }], 'name'],
    ['name a number', [{ name: 5, validUntil: 1 }], 'name'],
    ['validUntil a string', [{ name: 'a', validUntil: '2030-01-01' }], 'validUntil'],
    ['validUntil fractional', [{ name: 'a', validUntil: 1.5 }], 'validUntil'],
    ['validUntil negative', [{ name: 'a', validUntil: -1 }], 'validUntil'],
    ['an unknown field', [{ name: 'a', validUntil: 1, address: ADDR }], 'address'],
  ],
};
