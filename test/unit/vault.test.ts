/**
 * The vault: its encryption parameters, wrong passwords and the throttle, tampering, round
 * trips (fast-check), unlock across a worker restart, auto-lock with an injected clock, the
 * change of password and its crash case, imports, re-encryption with raised parameters, and
 * the master signer (checked with viem, which Keyhold does not use to sign).
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { recoverMessageAddress } from 'viem';
import { DEFAULT_ITERATIONS, decryptData, openV1, seal, sealV1, unwrapWithPassword, WrongPasswordError, DamagedVaultError, type VaultRecord, type VaultRecordV2 } from '../../background/vault/cipher.js';
import { signPayloadWithMaster } from '../../background/vault/master-signer.js';
import { Vault, SESSION_KEY, type LockTimer } from '../../background/vault/vault.js';
import { openKeyholdDb, type KeyholdDb } from '../../background/db.js';
import { MemoryArea, T0, makeDeps, uniqueDbName } from './fakes.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const HARDHAT_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const HARDHAT_1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const PASSWORD = 'correct horse battery';

interface Rig {
  db: KeyholdDb;
  area: MemoryArea;
  clock: { now: number };
  timer: LockTimer & { at: number | null };
  make: (opts?: { iterations?: number | undefined; area?: MemoryArea; db?: KeyholdDb }) => Vault;
}

async function rig(iterations = 1_000): Promise<Rig> {
  const db = await openKeyholdDb(uniqueDbName('vault'));
  const area = new MemoryArea();
  const clock = { now: T0 };
  const timer = { at: null as number | null, schedule(at: number) { this.at = at; }, clear() { this.at = null; } };
  const make: Rig['make'] = (o = {}) =>
    new Vault({ db: o.db ?? db, area: o.area ?? area, now: () => clock.now, iterations: o.iterations ?? iterations, timer });
  return { db, area, clock, timer, make };
}

const code = (c: number, text?: string) => (e: unknown) => {
  const err = e as { code?: number; message?: string };
  assert.equal(err.code, c, err.message);
  if (text) assert.ok(err.message?.includes(text), `"${err.message}" should include "${text}"`);
  return true;
};

const stored = async (db: KeyholdDb): Promise<VaultRecord> => (await db.get('vault', 'master')) as VaultRecord;

describe('vault at rest', () => {
  test('PBKDF2-HMAC-SHA256 with at least 600,000 iterations and AES-256-GCM, parameters in the record', async () => {
    const r = await rig(DEFAULT_ITERATIONS);
    const vault = r.make({ iterations: undefined });
    await vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    const rec = await stored(r.db);
    assert.equal(DEFAULT_ITERATIONS >= 600_000, true);
    assert.deepEqual({ name: rec.kdf.name, hash: rec.kdf.hash }, { name: 'PBKDF2', hash: 'SHA-256' });
    assert.ok(rec.kdf.iterations >= 600_000, `iterations ${rec.kdf.iterations}`);
    assert.equal(rec.kdf.salt.length, 16);
    assert.deepEqual({ name: rec.cipher.name, length: rec.cipher.length }, { name: 'AES-GCM', length: 256 });
    assert.equal(rec.cipher.iv.length, 12);
    assert.equal(rec.format, 2);
    assert.equal((rec as VaultRecordV2).passwordWrap.iv.length, 12);
    assert.equal((rec as VaultRecordV2).passwordWrap.wrapped.length, 48, 'a 256-bit vault key and its tag');
    assert.deepEqual(rec.accounts, [HARDHAT_0]);
    // Nothing secret in clear: neither the phrase nor the key.
    const text = JSON.stringify(rec, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    assert.ok(!text.includes('junk'));
    // And it opens with the password, with WebCrypto, in well under a few seconds.
    const t = performance.now();
    await r.make({ iterations: undefined }).lock();
    await r.make({ iterations: undefined }).unlock(PASSWORD);
    assert.ok(performance.now() - t < 5_000);
  });

  test('seal/open round-trips any bytes and password; another password or a flipped bit fails', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), async (bytes, pw, other) => {
        const { record: rec } = await seal(bytes, pw, { kind: 'mnemonic', accounts: [HARDHAT_0] }, T0, 1);
        assert.deepEqual(await decryptData(rec, await unwrapWithPassword(rec, pw)), bytes);
        if (other.normalize('NFKC') !== pw.normalize('NFKC')) await assert.rejects(unwrapWithPassword(rec, other), WrongPasswordError);
        const bad = { ...rec, ciphertext: rec.ciphertext.slice() };
        bad.ciphertext[bytes.length % bad.ciphertext.length]! ^= 1;
        await assert.rejects(decryptData(bad, await unwrapWithPassword(bad, pw)), DamagedVaultError);
        // The accounts in clear are bound to the ciphertext.
        await assert.rejects(decryptData({ ...rec, accounts: [HARDHAT_1] }, await unwrapWithPassword(rec, pw)), DamagedVaultError);
        // Format 1 (before passkeys) still opens.
        const v1 = await sealV1(bytes, pw, [HARDHAT_0], T0, 1);
        assert.deepEqual(await openV1(v1, pw), bytes);
        if (other.normalize('NFKC') !== pw.normalize('NFKC')) await assert.rejects(openV1(v1, other), WrongPasswordError);
      }),
      { numRuns: 40 },
    );
  });
});

describe('unlock, lock, wrong passwords', () => {
  test('a wrong password is a clear 4100 and leaves the vault locked', async () => {
    const r = await rig();
    const vault = r.make();
    await vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 2 }, PASSWORD);
    await vault.lock();
    await assert.rejects(vault.unlock('wrong password'), code(4100, 'Wrong password'));
    assert.equal((await vault.status()).unlocked, false);
    await assert.rejects(vault.accounts(), code(4100, 'locked'));
    assert.deepEqual((await vault.unlock(PASSWORD)).accounts, [HARDHAT_0, HARDHAT_1]);
  });

  test('after 5 wrong passwords each attempt waits longer, and a worker restart does not reset it', async () => {
    const r = await rig();
    await r.make().create({ kind: 'privateKey', privateKey: `0x${'11'.repeat(32)}` }, PASSWORD);
    await r.make().lock();
    for (let i = 1; i <= 5; i++) await assert.rejects(r.make().unlock(`bad ${i}`), code(4100));
    // Fresh instance = restarted worker: the count is on disk.
    await assert.rejects(r.make().unlock(PASSWORD), code(-32005, 'Too many wrong passwords'));
    assert.ok((await r.make().status()).retryAfterMs > 0);
    r.clock.now += 5_000;
    await assert.rejects(r.make().unlock('bad 6'), code(4100, 'Try again in 10 seconds'));
    r.clock.now += 9_000;
    await assert.rejects(r.make().unlock(PASSWORD), code(-32005));
    r.clock.now += 1_000;
    await r.make().unlock(PASSWORD);
    assert.equal(await r.db.get('vault', 'throttle'), undefined, 'a success resets the count');
  });

  test('a tampered record gives a clear error and is left as it was', async () => {
    const r = await rig();
    await r.make().create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    await r.make().lock();
    const rec = await stored(r.db);
    for (const tamper of [
      (x: VaultRecord) => void (x.ciphertext[5]! ^= 0x40),
      (x: VaultRecord) => void (x.accounts = [HARDHAT_1]),
      (x: VaultRecord) => void (x.cipher.iv[0]! ^= 1),
    ]) {
      const bad = structuredClone(rec);
      tamper(bad);
      await r.db.put('vault', bad);
      await assert.rejects(r.make().unlock(PASSWORD), code(-32603, 'damaged'));
      assert.deepEqual(await stored(r.db), bad, 'the record is untouched');
      assert.equal((await r.make().status()).unlocked, false);
    }
    await r.db.put('vault', rec);
    await r.make().unlock(PASSWORD);
    assert.equal(await r.db.get('vault', 'throttle'), undefined, 'tampering is not counted as a wrong password');
  });

  test('unlocked survives a worker restart; a browser restart (storage.session gone) starts locked', async () => {
    const r = await rig();
    await r.make().create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    const restarted = r.make();
    assert.equal((await restarted.status()).unlocked, true);
    assert.equal((await restarted.accounts())[0]!.address, HARDHAT_0);
    const browserRestart = r.make({ area: new MemoryArea() });
    assert.equal((await browserRestart.status()).unlocked, false);
    await r.make().lock();
    assert.equal(r.area.map.has(SESSION_KEY), false, 'lock clears storage.session');
    assert.equal((await r.make().status()).unlocked, false);
  });

  test('auto-lock: armed for the idle time, pushed back by use, fires once idle', async () => {
    const r = await rig();
    const vault = r.make();
    await vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    assert.equal(r.timer.at, T0 + 15 * 60_000, 'default 15 minutes');
    r.clock.now = T0 + 10 * 60_000;
    await vault.accounts(); // use
    assert.equal(r.timer.at, T0 + 25 * 60_000);
    r.clock.now = T0 + 16 * 60_000;
    assert.equal(await r.make().lockIfIdle(), false, 'used 6 minutes ago');
    await vault.setSettings({ autoLockMinutes: 5 });
    assert.equal(r.timer.at, T0 + 15 * 60_000);
    r.clock.now = T0 + 15 * 60_000;
    assert.equal(await r.make().lockIfIdle(), true);
    assert.equal((await r.make().status()).unlocked, false);
    assert.equal(r.timer.at, null, 'locking clears the alarm');
  });
});

describe('change of password', () => {
  test('re-encrypts under the new password with a fresh salt', async () => {
    const r = await rig();
    const vault = r.make();
    await vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    const before = await stored(r.db);
    await assert.rejects(vault.changePassword('nope', 'new password 1'), code(4100, 'Wrong password'));
    await assert.rejects(vault.changePassword(PASSWORD, 'short'), code(-32602, 'at least 8'));
    assert.deepEqual(await vault.changePassword(PASSWORD, 'new password 1'), { ok: true });
    const after = await stored(r.db);
    assert.notDeepEqual(after.kdf.salt, before.kdf.salt);
    assert.equal(after.createdAt, before.createdAt);
    await vault.lock();
    await assert.rejects(vault.unlock(PASSWORD), code(4100));
    await vault.unlock('new password 1');
  });

  test('a failure between re-encrypting and storing leaves the old vault, which still opens', async () => {
    const r = await rig();
    await r.make().create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    const before = await stored(r.db);
    // The worker dies at the write: the one `put` never happens.
    const crashing = new Proxy(r.db, {
      get(target, prop, receiver) {
        if (prop === 'put') return async () => { throw new DOMException('worker killed', 'AbortError'); };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as KeyholdDb;
    await assert.rejects(r.make({ db: crashing }).changePassword(PASSWORD, 'new password 1'));
    assert.deepEqual(await stored(r.db), before);
    await r.make().lock();
    await assert.rejects(r.make().unlock('new password 1'), code(4100));
    await r.make().unlock(PASSWORD);
  });

  test('an aborted write transaction leaves the old vault (one put: old or new, never neither)', async () => {
    const r = await rig();
    await r.make().create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    const before = await stored(r.db);
    const { record: fresh } = await seal(new TextEncoder().encode('x'), 'new password 1', { kind: 'mnemonic', accounts: before.accounts }, T0, 1_000);
    const tx = r.db.transaction('vault', 'readwrite');
    void tx.store.put(fresh).catch(() => undefined);
    tx.abort();
    await tx.done.catch(() => undefined);
    assert.deepEqual(await stored(r.db), before);
  });
});

describe('imports and parameters', () => {
  test('a mnemonic gives accounts m/44\'/60\'/0\'/0/i; a hex key one account; bad input -32602', async () => {
    const r = await rig();
    const status = await r.make().create({ kind: 'mnemonic', mnemonic: `  ${HARDHAT.toUpperCase()}  `, accounts: 2 }, PASSWORD);
    assert.deepEqual(status.accounts, [HARDHAT_0, HARDHAT_1]);
    await assert.rejects(r.make().create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD), code(-32602, 'already exists'));
    const r2 = await rig();
    await assert.rejects(r2.make().create({ kind: 'mnemonic', mnemonic: 'test '.repeat(12), accounts: 1 }, PASSWORD), code(-32602, 'not valid'));
    await assert.rejects(r2.make().create({ kind: 'privateKey', privateKey: '0x1234' }, PASSWORD), code(-32602, '64 hexadecimal'));
    await assert.rejects(r2.make().create({ kind: 'privateKey', privateKey: '00'.repeat(32) }, PASSWORD), code(-32602, 'not a valid'));
    await assert.rejects(r2.make().create({ kind: 'privateKey', privateKey: '11'.repeat(32) }, 'short'), code(-32602, 'at least 8'));
    // Hardhat account 0's well-known key.
    const s = await r2.make().create({ kind: 'privateKey', privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80' }, PASSWORD);
    assert.deepEqual(s.accounts, [HARDHAT_0]);
  });

  test('a record made with fewer iterations is re-encrypted with today\'s on the next unlock', async () => {
    const r = await rig(1_000);
    await r.make({ iterations: 1_000 }).create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
    await r.make().lock();
    await r.make({ iterations: 5_000 }).unlock(PASSWORD);
    assert.equal((await stored(r.db)).kdf.iterations, 5_000);
    await r.make({ iterations: 5_000 }).lock();
    assert.deepEqual((await r.make({ iterations: 5_000 }).unlock(PASSWORD)).accounts, [HARDHAT_0]);
  });
});

/** How these signatures go in the activity log. */
const LOG = { origin: 'https://svc.example', method: 'login' } as const;

/** What the vault says of itself, as the master signer sees it. */
async function masterState(deps: { vault: { status(): Promise<{ exists: boolean; unlocked: boolean; accounts: string[] }> } }) {
  const { exists, unlocked, accounts } = await deps.vault.status();
  return { exists, unlocked, accounts };
}

describe('master signer', () => {
  test('4100 with no vault or a locked one; an EIP-191 signature of the payload bytes when unlocked', async () => {
    const deps = await makeDeps();
    const payload = new Uint8Array([1, 2, 0, 0, 0, 0, 0, 0, 9]);
    assert.deepEqual(await masterState(deps), { exists: false, unlocked: false, accounts: [] });
    await assert.rejects(signPayloadWithMaster(deps, payload, undefined, LOG), code(4100, 'no master key'));
    await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 2 }, PASSWORD);
    await deps.vault.lock();
    assert.deepEqual(await masterState(deps), { exists: true, unlocked: false, accounts: [HARDHAT_0, HARDHAT_1] });
    await assert.rejects(signPayloadWithMaster(deps, payload, undefined, LOG), code(4100, 'locked'));
    await deps.vault.unlock(PASSWORD);
    for (const [account, address] of [[undefined, HARDHAT_0], [HARDHAT_1.toLowerCase(), HARDHAT_1]] as const) {
      const { signature, publicKey, address: got } = await signPayloadWithMaster(deps, payload, account, LOG);
      assert.equal(got, address);
      assert.equal(signature.length, 65);
      assert.ok(signature[64] === 27 || signature[64] === 28);
      assert.equal(publicKey.length, 33);
      const recovered = await recoverMessageAddress({ message: { raw: payload }, signature: `0x${Buffer.from(signature).toString('hex')}` });
      assert.equal(recovered, address);
    }
    await assert.rejects(signPayloadWithMaster(deps, payload, '0x' + '00'.repeat(20), LOG), code(4100));
  });
});
