/**
 * The test hook that copies sessions between processes (`POST /api/v1/_test/sessions`) checks
 * each record member by member: an export imports whole into another process, and a record with
 * any member of the wrong type is a 400 `bad_body` that imports nothing.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_SESSIONS_PATH } from '../../service/routes.js';
import { MasterKey, login, post, start, type TestService } from './helpers.js';

let a: TestService;
let b: TestService;
before(async () => {
  a = await start({ testHooks: true });
  b = await start({ testHooks: true });
});
after(async () => {
  await a.close();
  await b.close();
});

const exported = async (s: TestService): Promise<Record<string, unknown>[]> =>
  ((await (await fetch(s.url + TEST_SESSIONS_PATH)).json()) as { sessions: Record<string, unknown>[] }).sessions;

describe('importing sessions', () => {
  test('a record with a member of the wrong type is 400 bad_body and nothing is imported; the export imports whole', async () => {
    await login(a, new MasterKey());
    const [record] = await exported(a);
    assert.ok(record);
    const broken: Array<[string, unknown]> = [
      ['id', 7], ['publicKey', null], ['masterPublicKey', undefined], ['role', 'ADMIN'], ['subaccountIndex', 1.5],
      ['subaccountIndex', '0'], ['createdAtMs', Number.MAX_SAFE_INTEGER + 2], ['validUntilMs', null], ['revoked', 'no'], ['deviceKey', 1],
    ];
    for (const [key, value] of broken) {
      const answer = await post(b, TEST_SESSIONS_PATH, { sessions: [record, { ...record, id: 'other', [key]: value }] });
      assert.equal(answer.status, 400, `${key}: ${JSON.stringify(answer.json)}`);
      assert.equal(answer.json.error.code, 'bad_body');
    }
    for (const notRecord of [null, 'session', [record]]) {
      assert.equal((await post(b, TEST_SESSIONS_PATH, { sessions: [notRecord] })).status, 400);
    }
    assert.deepEqual(await exported(b), [], 'nothing was imported');
    assert.deepEqual((await post(b, TEST_SESSIONS_PATH, { sessions: [record] })).json, { imported: 1 });
    assert.deepEqual(await exported(b), [record]);
  });
});
