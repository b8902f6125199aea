/**
 * The approval window's one plain sentence (issue 14): who asks, then what, with the request
 * types named as the session's descriptor names them, for how long.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import { askSentence, listWords, readableName } from '../../popup/approval/ask-sentence.js';
import { addressGroups } from '../../popup/components/account-line.js';

const DESCRIPTOR = {
  source: 'service' as const,
  descriptor: { name: 'Reference exchange', requestTypes: { '1': { name: 'PlaceOrder', risk: 'trade' as const }, '2': { name: 'Withdraw', risk: 'transfer' as const } } },
};

const session = (over: Record<string, unknown>): ApprovalView =>
  ({
    id: 'a',
    origin: 'https://app.exchange.example',
    createdAt: 0,
    kind: 'createSession',
    params: { ttlSeconds: 7200, role: 'TRADING_ONLY', subaccountIndex: null, requestTypes: [1], label: null, ...over },
  }) as ApprovalView;

describe('askSentence', () => {
  test('named request types, from the descriptor, for how long', () => {
    assert.equal(askSentence(session({ descriptor: DESCRIPTOR }), 'exchange.example'), 'exchange.example wants to sign “Place order” requests for you for 2 hours.');
    assert.equal(
      askSentence(session({ descriptor: DESCRIPTOR, requestTypes: [1, 2], ttlSeconds: 900 }), 'exchange.example'),
      'exchange.example wants to sign “Place order” and “Withdraw” requests for you for 15 minutes.',
    );
  });

  test('types the descriptor does not name are given by number; any and none in words', () => {
    assert.equal(askSentence(session({ descriptor: DESCRIPTOR, requestTypes: [1, 7] }), 'x.example'), 'x.example wants to sign requests of type 1 and 7 for you for 2 hours.');
    assert.equal(askSentence(session({ requestTypes: [1, 2, 14] }), 'x.example'), 'x.example wants to sign requests of type 1, 2, and 14 for you for 2 hours.');
    assert.equal(askSentence(session({ requestTypes: null, ttlSeconds: 3600 }), 'x.example'), 'x.example wants to sign any request for you for 1 hour.');
    assert.equal(askSentence(session({ requestTypes: [] }), 'x.example'), 'x.example wants a session key for 2 hours that can sign no request.');
  });

  test('every other kind has its sentence, starting with who asks', () => {
    const base = { id: 'a', origin: 'https://d.example', createdAt: 0 };
    const views = [
      { ...base, kind: 'connect', params: { accounts: [] } },
      { ...base, kind: 'personalSign', params: { address: '0x1', text: 'hi', messageHex: '0x6869', siwe: null, siweDomainMismatch: false } },
      { ...base, kind: 'signTypedData', params: { address: '0x1', typedData: { domain: {}, primaryType: 'Mail', message: {}, types: {} } } },
      { ...base, kind: 'switchChain', params: { from: { chainId: '0x1', name: 'Ethereum' }, to: { chainId: '0x2105', name: 'Base' } } },
      { ...base, kind: 'confirmSign', params: { sessionId: 's', label: null, requestType: 2, typeName: 'Withdraw', body: { kind: 'json', text: '{}' } } },
      { ...base, kind: 'confirmSign', params: { sessionId: 's', label: null, requestType: 9, body: { kind: 'json', text: '{}' } } },
    ] as unknown as ApprovalView[];
    assert.deepEqual(
      views.map((v) => askSentence(v, 'd.example')),
      [
        'd.example wants to see your Keyhold accounts.',
        'd.example asks you to sign a message with your account.',
        'd.example asks you to sign typed data with your account.',
        'd.example asks you to switch to Base.',
        'd.example wants to sign one “Withdraw” request with your session.',
        'd.example wants to sign one request of type 9 with your session.',
      ],
    );
  });

  test('readable names: camel case and underscores split, a name with spaces kept', () => {
    assert.equal(readableName('PlaceOrder'), 'Place order');
    assert.equal(readableName('list_sessions'), 'List sessions');
    assert.equal(readableName('CreateSession (login)'), 'CreateSession (login)');
    assert.equal(readableName('Withdraw'), 'Withdraw');
    assert.equal(listWords(['a']), 'a');
  });
});

describe('addressGroups', () => {
  test('an address cut into groups of four after 0x, nothing lost', () => {
    const a = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
    const groups = addressGroups(a);
    assert.deepEqual(groups.slice(0, 3), ['0xf39F', 'd6e5', '1aad']);
    assert.equal(groups.length, 10);
    assert.equal(groups.join(''), a);
  });
});
