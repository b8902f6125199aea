import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHAIN_ID_HEX, KNOWN_CHAINS, knownChain } from '../../src/protocol/chains.js';

test('the known-chains table: ids as eth_chainId writes them, each once, each named', () => {
  assert.ok(KNOWN_CHAINS.length > 0);
  for (const c of KNOWN_CHAINS) {
    assert.match(c.chainId, CHAIN_ID_HEX, c.chainId);
    assert.equal(typeof c.name, 'string');
    assert.ok(c.name.length > 0, c.chainId);
    assert.deepEqual(Object.keys(c).sort(), ['chainId', 'name']);
  }
  assert.equal(new Set(KNOWN_CHAINS.map((c) => c.chainId)).size, KNOWN_CHAINS.length);
  assert.equal(knownChain('0x1')?.name, 'Ethereum');
  assert.equal(knownChain('0xaa36a7')?.name, 'Sepolia');
  assert.equal(knownChain('0x2'), undefined);
});
