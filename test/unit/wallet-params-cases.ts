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
    ['message 65537 bytes of hex', [`0x${'00'.repeat(65_537)}`, ADDR], 'message'],
    ['message 65537 bytes of text', ['a'.repeat(65_537), ADDR], 'message'],
  ],
  personal_ecRecover: [
    ['absent', undefined, 'personal_ecRecover'],
    ['one value', ['0x00'], 'personal_ecRecover'],
    ['three values', ['0x00', `0x${'11'.repeat(65)}`, ADDR], 'personal_ecRecover'],
    ['message a number', [5, `0x${'11'.repeat(65)}`], 'message'],
    ['signature 64 bytes', ['0x00', `0x${'11'.repeat(64)}`], 'signature'],
    ['signature not hex', ['0x00', `0x${'zz'.repeat(65)}`], 'signature'],
    ['signature a number', ['0x00', 5], 'signature'],
  ],
  wallet_switchEthereumChain: [
    ['absent', undefined, 'wallet_switchEthereumChain'],
    ['chainId missing', [{}], 'chainId'],
    ['chainId a number', [{ chainId: 1 }], 'chainId'],
    ['chainId decimal text', [{ chainId: '137' }], 'chainId'],
    ['chainId with a leading zero', [{ chainId: '0x01' }], 'chainId'],
    ['chainId 0x0', [{ chainId: '0x0' }], 'chainId'],
    ['an unknown field', [{ chainId: '0x1', chainName: 'x' }], 'chainName'],
  ],
  wallet_addEthereumChain: [
    ['absent', undefined, 'wallet_addEthereumChain'],
    ['chainId missing', [{ chainName: 'X', rpcUrls: ['https://rpc.example'] }], 'chainId'],
    ['chainName missing', [{ chainId: '0x539', rpcUrls: ['https://rpc.example'] }], 'chainName'],
    ['chainName empty', [{ chainId: '0x539', chainName: ' ', rpcUrls: ['https://rpc.example'] }], 'chainName'],
    ['chainName with a control character', [{ chainId: '0x539', chainName: 'a\u202eb', rpcUrls: ['https://rpc.example'] }], 'chainName'],
    ['rpcUrls empty', [{ chainId: '0x539', chainName: 'X', rpcUrls: [] }], 'rpcUrls'],
    ['rpcUrls not URLs', [{ chainId: '0x539', chainName: 'X', rpcUrls: ['not a url'] }], 'rpcUrls[0]'],
    ['rpcUrls javascript:', [{ chainId: '0x539', chainName: 'X', rpcUrls: ['javascript:alert(1)'] }], 'rpcUrls[0]'],
    ['nativeCurrency decimals text', [{ chainId: '0x539', chainName: 'X', rpcUrls: ['https://r.example'], nativeCurrency: { name: 'E', symbol: 'ETH', decimals: '18' } }], 'nativeCurrency.decimals'],
    ['an unknown field', [{ chainId: '0x539', chainName: 'X', rpcUrls: ['https://r.example'], evil: 1 }], 'evil'],
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
    ['name with stacked combining marks', [{ name: `x${'\u0301'.repeat(61)}`, validUntil: 1 }], 'name'],
    ['name a number', [{ name: 5, validUntil: 1 }], 'name'],
    ['validUntil a string', [{ name: 'a', validUntil: '2030-01-01' }], 'validUntil'],
    ['validUntil fractional', [{ name: 'a', validUntil: 1.5 }], 'validUntil'],
    ['validUntil negative', [{ name: 'a', validUntil: -1 }], 'validUntil'],
    ['an unknown field', [{ name: 'a', validUntil: 1, address: ADDR }], 'address'],
  ],
};
