/**
 * The popup's words for people, pure: accounts (EIP-55, shortened, identicons), the chain
 * chosen by name or as a custom id, and what a session may do from its descriptor's names.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getAddress } from 'viem';
import { checksumAddress, identicon, shortAddress } from '../../popup/address.js';
import { CUSTOM, chainOption, chainOptions, customChainId } from '../../popup/chain-choice.js';
import { capability, requestTypeName } from '../../popup/session-words.js';
import { KNOWN_CHAINS } from '../../src/protocol/chains.js';

const HARDHAT_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const HARDHAT_1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('accounts', () => {
  test('EIP-55 as viem computes it, from any case; the EIP-55 spec vectors', () => {
    for (const a of [HARDHAT_0, HARDHAT_1, '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB', '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb']) {
      assert.equal(checksumAddress(a.toLowerCase()), a);
      assert.equal(checksumAddress(a.toUpperCase().replace('0X', '0x')), a);
      assert.equal(checksumAddress(a), getAddress(a));
    }
  });
  test('shortened to its ends, checksummed', () => {
    assert.equal(shortAddress(HARDHAT_0.toLowerCase()), '0xf39F…2266');
    assert.equal(shortAddress(HARDHAT_1), '0x7099…79C8');
  });
  test('bad addresses are refused with the right error', () => {
    for (const bad of ['', '0x', '0x123', HARDHAT_0.slice(2), `${HARDHAT_0}00`, '0xg39Fd6e51aad88F6F4ce6aB8827279cffFb92266']) {
      assert.throws(() => checksumAddress(bad), RangeError, bad);
    }
    for (const bad of [null, undefined, 42, {}]) assert.throws(() => checksumAddress(bad as never), TypeError);
  });
  test('the identicon is deterministic, case-blind, mirrored, and differs between accounts', () => {
    const a = identicon(HARDHAT_0);
    assert.deepEqual(identicon(HARDHAT_0.toLowerCase()), a);
    assert.equal(a.cells.length, 25);
    for (let row = 0; row < 5; row++) {
      const r = a.cells.slice(row * 5, row * 5 + 5);
      assert.deepEqual(r, [...r].reverse(), `row ${row} is mirrored`);
    }
    const b = identicon(HARDHAT_1);
    assert.ok(a.color !== b.color || a.cells.join() !== b.cells.join(), 'two accounts draw two pictures');
    assert.match(a.color, /^hsl\(\d+ 62% 42%\)$/);
  });
});

describe('the chain, by name or custom', () => {
  test('every known chain is an option with its name and decimal id', () => {
    const options = chainOptions();
    assert.equal(options.length, KNOWN_CHAINS.length);
    assert.ok(options.some((o) => o.value === '0x89' && o.label === 'Polygon (137)'));
    assert.ok(options.some((o) => o.value === '0x1' && o.label === 'Ethereum (1)'));
  });
  test('a known chain id selects its option; any other selects custom', () => {
    assert.equal(chainOption('0x2105'), '0x2105');
    assert.equal(chainOption('0xA4B1'), '0xa4b1');
    assert.equal(chainOption('0x7a69'), CUSTOM);
  });
  test('a custom id in decimal or hex becomes 0x-hex; anything else is left for the worker to refuse', () => {
    assert.equal(customChainId('8453'), '0x2105');
    assert.equal(customChainId(' 31337 '), '0x7a69');
    assert.equal(customChainId('0xA4B1'), '0xa4b1');
    assert.equal(customChainId('polygon'), 'polygon');
    assert.equal(customChainId(''), '');
  });
});

describe('what a session may do, in words', () => {
  const descriptor = { source: 'service' as const, name: 'Exchange', requestTypes: { '1': { name: 'PlaceOrder', risk: 'trade' as const }, '2': { name: 'Withdraw', risk: 'transfer' as const } } };
  test('any request, none, the service’s names, or how many kinds', () => {
    assert.equal(capability({ requestTypes: null }), 'Can sign any request');
    assert.equal(capability({ requestTypes: [] }), 'Can sign no request');
    assert.equal(capability({ requestTypes: [1, 2], descriptor }), 'Can sign: PlaceOrder, Withdraw');
    assert.equal(capability({ requestTypes: [1, 7], descriptor }), 'Can sign 2 kinds of request', 'one type unnamed: no half-named list');
    assert.equal(capability({ requestTypes: [7] }), 'Can sign 1 kind of request');
  });
  test('a request type by its name, else by its number', () => {
    assert.equal(requestTypeName(2, descriptor.requestTypes), 'Withdraw');
    assert.equal(requestTypeName(7, descriptor.requestTypes), 'type 7');
    assert.equal(requestTypeName(7), 'type 7');
  });
});
