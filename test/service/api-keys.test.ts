/**
 * The API-key endpoints over real HTTP (`shared/reference/revoke-api-key-endpoint.txt`,
 * `spec/api-keys.md`): a wallet's EIP-191 signature over the canonical create message
 * registers an Ed25519 key, which then signs orders with `X-API-Key`; a signature by anyone else,
 * or over other words, is 401; revoking needs the owner's signature and not the key, and the
 * key stops working at once. The messages and signatures are built here with noble and
 * node:crypto, sharing no code with the service or the extension.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { SessionKey, orderPayload, post, start, type TestService } from './helpers.js';

let service: TestService;
before(async () => {
  service = await start();
});
after(() => service.close());

class Wallet {
  readonly secret = secp256k1.utils.randomSecretKey();
  readonly address = `0x${Buffer.from(keccak_256(secp256k1.getPublicKey(this.secret, false).subarray(1)).subarray(12)).toString('hex')}`;
  personalSign(text: string): { r: string; s: string; v: number } {
    const bytes = Buffer.from(text, 'utf8');
    const digest = keccak_256(Buffer.concat([Buffer.from(`\x19Ethereum Signed Message:\n${bytes.length}`), bytes]));
    const rec = secp256k1.sign(digest, this.secret, { prehash: false, format: 'recovered' });
    return { r: `0x${Buffer.from(rec.subarray(1, 33)).toString('hex')}`, s: `0x${Buffer.from(rec.subarray(33, 65)).toString('hex')}`, v: 27 + rec[0]! };
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const createText = (address: string, key: string, name: string, validUntil: number) =>
  ['Keyhold API key: create', `Address: ${address}`, `Public key: ${key}`, `Name: ${name}`, `Valid until: ${validUntil}`].join('\n');
const revokeText = (address: string, key: string, name: string) =>
  ['Keyhold API key: revoke', `Address: ${address}`, `Public key: ${key}`, `Name: ${name}`].join('\n');

function assertError(a: { status: number; json: any }, status: number, code: string): void {
  assert.equal(a.status, status, JSON.stringify(a.json));
  assert.equal(a.json.error.code, code);
}

async function created(wallet = new Wallet(), name = 'Arcus') {
  const key = new SessionKey();
  const publicKey = hex(key.publicKey);
  const validUntil = service.now + 86_400_000;
  const a = await post(service, '/api/v1/createApiKey', { address: wallet.address, publicKey, name, validUntil, signature: wallet.personalSign(createText(wallet.address, publicKey, name, validUntil)) });
  assert.equal(a.status, 200, JSON.stringify(a.json));
  return { wallet, key, publicKey, name, validUntil, answer: a.json };
}

const order = (key: SessionKey, publicKey: string) => post(service, '/api/v1/orders', key.sign(orderPayload(service.now)), { 'x-api-key': publicKey });

describe('POST /api/v1/createApiKey', () => {
  test('registers a key whose canonical create message the wallet signed; the key then signs orders', async () => {
    const { wallet, key, publicKey, validUntil, answer } = await created();
    assert.deepEqual(answer, { api_key: publicKey, address: wallet.address, name: 'Arcus', valid_until: validUntil, created_at: service.now, account_index: 0 });
    const a = await order(key, publicKey);
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.equal(a.json.accepted, true);
    assert.equal(a.json.session_id, `api-key:${publicKey}`);
  });

  test('401 when the signature recovers to another address, or is over other words', async () => {
    const wallet = new Wallet();
    const other = new Wallet();
    const publicKey = hex(new SessionKey().publicKey);
    const validUntil = service.now + 3_600_000;
    const body = (signature: unknown, name = 'Arcus') => ({ address: wallet.address, publicKey, name, validUntil, signature });
    assertError(await post(service, '/api/v1/createApiKey', body(other.personalSign(createText(wallet.address, publicKey, 'Arcus', validUntil)))), 401, 'signature_mismatch');
    assertError(await post(service, '/api/v1/createApiKey', body(wallet.personalSign(createText(wallet.address, publicKey, 'Arcus', validUntil + 1)))), 401, 'signature_mismatch');
    assertError(await post(service, '/api/v1/createApiKey', body(wallet.personalSign(createText(wallet.address, publicKey, 'Arcus', validUntil)), 'Other')), 401, 'signature_mismatch');
    assert.equal(service.state.apiKeys.has(publicKey), false, 'nothing registered');
  });

  test('400 for malformed bodies; 409 for a key registered before', async () => {
    const { wallet, publicKey, validUntil } = await created();
    const sig = wallet.personalSign(createText(wallet.address, publicKey, 'Arcus', validUntil));
    const good = { address: wallet.address, publicKey, name: 'Arcus', validUntil, signature: sig };
    assertError(await post(service, '/api/v1/createApiKey', good), 409, 'api_key_exists');
    assertError(await post(service, '/api/v1/createApiKey', { ...good, publicKey: 'zz' }), 400, 'bad_public_key');
    assertError(await post(service, '/api/v1/createApiKey', { ...good, address: '0x12' }), 400, 'bad_address');
    assertError(await post(service, '/api/v1/createApiKey', { ...good, name: '' }), 400, 'bad_name');
    assertError(await post(service, '/api/v1/createApiKey', { ...good, validUntil: '1' }), 400, 'bad_valid_until');
    assertError(await post(service, '/api/v1/createApiKey', { ...good, signature: { ...sig, v: 29 } }), 400, 'bad_signature');
    assertError(await post(service, '/api/v1/createApiKey', { ...good, extra: 1 }), 400, 'unexpected_field');
    const past = service.now - 1;
    const fresh = hex(new SessionKey().publicKey);
    assertError(await post(service, '/api/v1/createApiKey', { ...good, publicKey: fresh, validUntil: past, signature: wallet.personalSign(createText(wallet.address, fresh, 'Arcus', past)) }), 400, 'api_key_already_expired');
  });
});

describe('POST /api/v1/revokeApiKey', () => {
  test('the owner revokes without the key (no X-API-Key); the key stops signing at once; a repeat answers the same', async () => {
    const { wallet, key, publicKey, name } = await created();
    const body = { address: wallet.address, publicKey, name, signature: wallet.personalSign(revokeText(wallet.address, publicKey, name)) };
    const a = await post(service, '/api/v1/revokeApiKey', body);
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.deepEqual(a.json, { api_key: publicKey, address: wallet.address, revoked_at: service.now * 1000, account_index: 0 });
    assertError(await order(key, publicKey), 401, 'api_key_revoked');
    const again = await post(service, '/api/v1/revokeApiKey', body);
    assert.equal(again.json.revoked_at, a.json.revoked_at);
  });

  test('401 for a signature by another wallet, or by another wallet that names itself; 404 for an unknown key', async () => {
    const { wallet, key, publicKey, name } = await created();
    const other = new Wallet();
    assertError(await post(service, '/api/v1/revokeApiKey', { address: wallet.address, publicKey, name, signature: other.personalSign(revokeText(wallet.address, publicKey, name)) }), 401, 'signature_mismatch');
    assertError(await post(service, '/api/v1/revokeApiKey', { address: other.address, publicKey, name, signature: other.personalSign(revokeText(other.address, publicKey, name)) }), 401, 'not_key_owner');
    // The create message is not a revoke message.
    assertError(await post(service, '/api/v1/revokeApiKey', { address: wallet.address, publicKey, name, signature: wallet.personalSign(createText(wallet.address, publicKey, name, 1)) }), 401, 'signature_mismatch');
    const unknown = hex(new SessionKey().publicKey);
    assertError(await post(service, '/api/v1/revokeApiKey', { address: wallet.address, publicKey: unknown, name, signature: wallet.personalSign(revokeText(wallet.address, unknown, name)) }), 404, 'api_key_not_found');
    assert.equal((await order(key, publicKey)).status, 200, 'still live');
  });
});

describe('orders signed with an API key', () => {
  test('refused for a key not registered, a public_key other than X-API-Key, a bad signature, an expired key', async () => {
    const stranger = new SessionKey();
    assertError(await order(stranger, hex(stranger.publicKey)), 401, 'unknown_api_key');
    const { key, publicKey, validUntil } = await created();
    const other = new SessionKey();
    assertError(await post(service, '/api/v1/orders', other.sign(orderPayload(service.now)), { 'x-api-key': publicKey }), 401, 'api_key_mismatch');
    const env = key.sign(orderPayload(service.now));
    const sig = Buffer.from(env.signature, 'base64');
    sig[0]! ^= 1;
    assertError(await post(service, '/api/v1/orders', { ...env, signature: sig.toString('base64') }, { 'x-api-key': publicKey }), 401, 'bad_signature');
    assertError(await post(service, '/api/v1/orders', key.sign(orderPayload(service.now)), { 'x-api-key': 'nope' }), 400, 'bad_api_key_header');
    const saved = service.now;
    service.now = validUntil;
    try {
      assertError(await order(key, publicKey), 401, 'api_key_expired');
    } finally {
      service.now = saved;
    }
  });
});
