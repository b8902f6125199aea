/**
 * Unlocking the vault with a passkey (WebAuthn PRF): the vault key wrapped by HKDF of the PRF
 * output; enrolling (needs the password), unlocking, removing, and changing the password keep
 * the vault intact, each as one write, and a crash at that write leaves the old vault working.
 * A format-1 vault (before passkeys) is rewritten as format 2 on its first unlock. The PRF
 * output is random bytes here: the worker only ever sees those bytes, whatever made them
 * (the e2e test has Chromium's virtual authenticator make them).
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeSecret, deriveSecret } from '../../background/vault/secret.js';
import { sealV1, type VaultRecord, type VaultRecordV2 } from '../../background/vault/cipher.js';
import { Vault } from '../../background/vault/vault.js';
import { openKeyholdDb, type KeyholdDb } from '../../background/db.js';
import { answerRpc } from '../../background/router/extension-rpc.js';
import { toBase64Url } from '../../src/encoding/base64url.js';
import { MemoryArea, T0, makeDeps, uniqueDbName } from './fakes.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const HARDHAT_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const PASSWORD = 'correct horse battery';

const rand = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const code = (c: number, text?: string) => (e: unknown) => {
  const err = e as { code?: number; message?: string };
  assert.equal(err.code, c, err.message);
  if (text) assert.ok(err.message?.includes(text), `"${err.message}" should include "${text}"`);
  return true;
};

async function rig() {
  const db = await openKeyholdDb(uniqueDbName('passkey'));
  const area = new MemoryArea();
  const make = (o: { db?: KeyholdDb } = {}) => new Vault({ db: o.db ?? db, area, now: () => T0, iterations: 1_000 });
  await make().create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
  return { db, area, make };
}

/** A passkey as the popup sees it after `navigator.credentials.create` with PRF. */
const passkey = () => ({ credentialId: rand(32), prfSalt: rand(32), prfOutput: rand(32), name: 'Laptop' });
const stored = async (db: KeyholdDb) => (await db.get('vault', 'master')) as VaultRecord;

/** The database with its `put` (or `transaction`) failing, as a worker killed at the write. */
function crashingAt(db: KeyholdDb, at: 'put' | 'transaction'): KeyholdDb {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === at) return () => { throw new DOMException('worker killed', 'AbortError'); };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as KeyholdDb;
}

describe('passkey unlock (WebAuthn PRF)', () => {
  test('enroll with the password, then the PRF output alone unlocks; the password still does', async () => {
    const r = await rig();
    const pk = passkey();
    const s = await r.make().addPasskey({ ...pk, password: PASSWORD });
    assert.deepEqual(s.passkeys.map((p) => ({ id: p.id, prfSalt: p.prfSalt, name: p.name })), [{ id: toBase64Url(pk.credentialId), prfSalt: toBase64Url(pk.prfSalt), name: 'Laptop' }]);
    const rec = (await stored(r.db)) as VaultRecordV2;
    assert.equal(rec.format, 2);
    // Nothing of the PRF output is stored.
    assert.ok(!Buffer.from(JSON.stringify(rec, (_k, v) => (v instanceof Uint8Array ? [...v] : v))).includes(Buffer.from(JSON.stringify([...pk.prfOutput]).slice(1, -1))));
    await r.make().lock();
    const unlocked = await r.make().unlockWithPasskey(pk.credentialId, pk.prfOutput);
    assert.equal(unlocked.unlocked, true);
    assert.deepEqual(unlocked.accounts, [HARDHAT_0]);
    assert.equal((await r.make().accounts())[0]!.address, HARDHAT_0);
    await r.make().lock();
    await r.make().unlock(PASSWORD);
  });

  test('a wrong PRF output or an unknown credential is 4100 and leaves it locked', async () => {
    const r = await rig();
    const pk = passkey();
    await r.make().addPasskey({ ...pk, password: PASSWORD });
    await r.make().lock();
    await assert.rejects(r.make().unlockWithPasskey(pk.credentialId, rand(32)), code(4100, 'does not unlock'));
    await assert.rejects(r.make().unlockWithPasskey(rand(32), pk.prfOutput), code(4100, 'does not unlock'));
    assert.equal((await r.make().status()).unlocked, false);
  });

  test('enrolling needs the right password (counted like an unlock) and refuses a passkey twice', async () => {
    const r = await rig();
    const pk = passkey();
    const before = await stored(r.db);
    await assert.rejects(r.make().addPasskey({ ...pk, password: 'wrong password' }), code(4100, 'Wrong password'));
    assert.deepEqual(await stored(r.db), before);
    assert.equal(((await r.db.get('vault', 'throttle')) as { failures: number }).failures, 1);
    await r.make().addPasskey({ ...pk, password: PASSWORD });
    await assert.rejects(r.make().addPasskey({ ...pk, password: PASSWORD }), code(-32602, 'already'));
  });

  test('checkPassword: a wrong one is 4100 and counted, the right one clears the count; the vault is unchanged', async () => {
    const r = await rig();
    const before = await stored(r.db);
    await assert.rejects(r.make().checkPassword('wrong password'), code(4100, 'Wrong password'));
    assert.equal(((await r.db.get('vault', 'throttle')) as { failures: number }).failures, 1);
    assert.deepEqual(await r.make().checkPassword(PASSWORD), { ok: true });
    assert.equal(await r.db.get('vault', 'throttle'), undefined);
    assert.deepEqual(await stored(r.db), before);
  });

  test('changing the password keeps every passkey working (only the password wrap changes)', async () => {
    const r = await rig();
    const pk = passkey();
    await r.make().addPasskey({ ...pk, password: PASSWORD });
    const before = (await stored(r.db)) as VaultRecordV2;
    await r.make().changePassword(PASSWORD, 'new password 1');
    const after = (await stored(r.db)) as VaultRecordV2;
    assert.deepEqual(after.ciphertext, before.ciphertext, 'the secret is not re-encrypted');
    assert.deepEqual(after.passkeys, before.passkeys);
    assert.notDeepEqual(after.kdf.salt, before.kdf.salt);
    await r.make().lock();
    await assert.rejects(r.make().unlock(PASSWORD), code(4100));
    await r.make().unlockWithPasskey(pk.credentialId, pk.prfOutput);
    await r.make().lock();
    assert.deepEqual((await r.make().unlock('new password 1')).accounts, [HARDHAT_0]);
  });

  test('removing a passkey (unlocked only) stops it; the password and the other passkeys still unlock', async () => {
    const r = await rig();
    const a = passkey();
    const b = passkey();
    await r.make().addPasskey({ ...a, password: PASSWORD });
    await r.make().addPasskey({ ...b, password: PASSWORD });
    await r.make().lock();
    await assert.rejects(r.make().removePasskey(a.credentialId), code(4100));
    await r.make().unlock(PASSWORD);
    const s = await r.make().removePasskey(a.credentialId);
    assert.deepEqual(s.passkeys.map((p) => p.id), [toBase64Url(b.credentialId)]);
    await assert.rejects(r.make().removePasskey(a.credentialId), code(-32602));
    await r.make().lock();
    await assert.rejects(r.make().unlockWithPasskey(a.credentialId, a.prfOutput), code(4100));
    await r.make().unlockWithPasskey(b.credentialId, b.prfOutput);
    await r.make().lock();
    await r.make().unlock(PASSWORD);
  });

  for (const step of ['enroll', 'remove', 'change password'] as const) {
    test(`a crash at the write of "${step}" leaves the old vault, which opens as before`, async () => {
      const r = await rig();
      const keep = passkey();
      await r.make().addPasskey({ ...keep, password: PASSWORD });
      const before = await stored(r.db);
      const crashing = r.make({ db: crashingAt(r.db, 'put') });
      const attempt =
        step === 'enroll' ? crashing.addPasskey({ ...passkey(), password: PASSWORD })
        : step === 'remove' ? crashing.removePasskey(keep.credentialId)
        : crashing.changePassword(PASSWORD, 'new password 1');
      await assert.rejects(attempt);
      assert.deepEqual(await stored(r.db), before);
      await r.make().lock();
      await r.make().unlockWithPasskey(keep.credentialId, keep.prfOutput);
      await r.make().lock();
      await r.make().unlock(PASSWORD);
    });
  }

  test('a format-1 vault (before passkeys) opens, is rewritten as format 2, then takes a passkey', async () => {
    const db = await openKeyholdDb(uniqueDbName('passkey-v1'));
    const secret = await deriveSecret({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 });
    await db.put('vault', await sealV1(encodeSecret(secret), PASSWORD, [HARDHAT_0], T0, 1_000));
    const vault = new Vault({ db, area: new MemoryArea(), now: () => T0, iterations: 1_000 });
    const pk = passkey();
    await assert.rejects(vault.addPasskey({ ...pk, password: PASSWORD }), code(4100, 'once'));
    assert.equal((await vault.status()).canAddAccount, false, 'not known before the first unlock');
    assert.deepEqual((await vault.unlock(PASSWORD)).accounts, [HARDHAT_0]);
    const rec = (await stored(db)) as VaultRecordV2;
    assert.equal(rec.format, 2);
    assert.equal(rec.kind, 'mnemonic');
    assert.equal(rec.createdAt, T0);
    await vault.addPasskey({ ...pk, password: PASSWORD });
    await vault.lock();
    await vault.unlockWithPasskey(pk.credentialId, pk.prfOutput);
  });

  test('the RPC: base64url fields checked (-32602 naming the field), the PRF output never in an answer', async () => {
    const deps = await makeDeps();
    await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    const rpc = (method: string, params: unknown) => answerRpc(deps, { channel: 'dev.keyhold/rpc', method, params });
    const pk = passkey();
    const fields = { credentialId: toBase64Url(pk.credentialId), prfSalt: toBase64Url(pk.prfSalt), prfOutput: toBase64Url(pk.prfOutput) };
    const bad = await rpc('vault_addPasskey', { password: PASSWORD, ...fields, prfOutput: 'AAAA', name: 'Laptop' });
    assert.ok(!bad.ok && bad.error.code === -32602 && bad.error.message.includes('prfOutput'), JSON.stringify(bad));
    const noName = await rpc('vault_addPasskey', { password: PASSWORD, ...fields, name: '' });
    assert.ok(!noName.ok && noName.error.code === -32602, JSON.stringify(noName));
    const added = await rpc('vault_addPasskey', { password: PASSWORD, ...fields, name: 'Laptop' });
    assert.ok(added.ok, JSON.stringify(added));
    assert.ok(!JSON.stringify(added).includes(fields.prfOutput));
    await rpc('vault_lock', {});
    const wrong = await rpc('vault_unlockWithPasskey', { credentialId: fields.credentialId, prfOutput: toBase64Url(rand(32)) });
    assert.ok(!wrong.ok && wrong.error.code === 4100, JSON.stringify(wrong));
    const unlocked = await rpc('vault_unlockWithPasskey', { credentialId: fields.credentialId, prfOutput: fields.prfOutput });
    assert.ok(unlocked.ok && (unlocked.result as { unlocked: boolean }).unlocked, JSON.stringify(unlocked));
    const removed = await rpc('vault_removePasskey', { credentialId: fields.credentialId });
    assert.ok(removed.ok && (removed.result as { passkeys: unknown[] }).passkeys.length === 0, JSON.stringify(removed));
  });
});
