/**
 * `@keyhold/verify` reads a login's ReCap (`spec/signing.md` §10) strictly: a table of malformed
 * ReCaps, each refused as 400 `bad_login_message` naming what is wrong, beside the well-formed
 * one that parses to the stated terms.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VerifyError, parseLoginMessage } from '../../packages/verify/src/index.js';
import { MasterKey, SessionKey, loginMessage, uuidText, uuidv7 } from '../service/helpers.js';

const NOW = Date.UTC(2026, 11, 2, 12);
const AUDIENCE = 'https://api.exchange.example';
const key = new SessionKey();
const text = loginMessage({
  site: 'https://app.exchange.example', audience: AUDIENCE, sessionId: uuidText(uuidv7(NOW)), publicKey: key.publicKey,
  subaccountIndex: 3, requestTypes: [1, 2], validUntilMs: NOW + 3_600_000, issuedAtMs: NOW, address: new MasterKey().address,
});
const recapOf = (t: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(/urn:recap:(\S+)$/.exec(t)![1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const RECAP = recapOf(text);
const CAVEATS = ((RECAP.att as Record<string, Record<string, unknown[]>>)[AUDIENCE]!['keyhold/session']![0]) as Record<string, unknown>;
const withRecap = (recap: unknown): Uint8Array =>
  Buffer.from(text.replace(/urn:recap:\S+$/, `urn:recap:${Buffer.from(JSON.stringify(recap)).toString('base64url')}`));
const withCaveats = (over: Record<string, unknown>): Uint8Array =>
  withRecap({ ...RECAP, att: { [AUDIENCE]: { 'keyhold/session': [{ ...CAVEATS, ...over }] } } });

describe('parseLoginMessage: the ReCap', () => {
  test('the well-formed one parses to its terms', () => {
    const m = parseLoginMessage(Buffer.from(text));
    assert.equal(m.audience, AUDIENCE);
    assert.equal(m.subaccountIndex, 3);
    assert.deepEqual(m.requestTypes, [1, 2]);
    assert.equal(m.validUntilMs, NOW + 3_600_000);
  });

  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['an array', withRecap([RECAP.att, RECAP.prf]), /must be \{att, prf\}/],
    ['a member too many', withRecap({ ...RECAP, x: 1 }), /must be \{att, prf\}/],
    ['prf not a list', withRecap({ ...RECAP, prf: {} }), /must be \{att, prf\}/],
    ['att a string', withRecap({ ...RECAP, att: AUDIENCE }), /exactly one service/],
    ['att empty', withRecap({ ...RECAP, att: {} }), /exactly one service/],
    ['two services', withRecap({ ...RECAP, att: { [AUDIENCE]: {}, 'https://b.example': {} } }), /exactly one service/],
    ['no abilities', withRecap({ ...RECAP, att: { [AUDIENCE]: null } }), /must grant exactly 'keyhold\/session'/],
    ['another ability too', withRecap({ ...RECAP, att: { [AUDIENCE]: { 'keyhold/session': [CAVEATS], 'keyhold/admin': [{}] } } }), /must grant exactly/],
    ['caveats not a list', withRecap({ ...RECAP, att: { [AUDIENCE]: { 'keyhold/session': CAVEATS } } }), /one caveat object/],
    ['two caveat objects', withRecap({ ...RECAP, att: { [AUDIENCE]: { 'keyhold/session': [CAVEATS, CAVEATS] } } }), /one caveat object/],
    ['a null caveat', withRecap({ ...RECAP, att: { [AUDIENCE]: { 'keyhold/session': [null] } } }), /one caveat object/],
    ['a text caveat', withRecap({ ...RECAP, att: { [AUDIENCE]: { 'keyhold/session': ['site'] } } }), /one caveat object/],
    ['a caveat missing', withCaveats({ site: undefined }), /caveats must be exactly/],
    ['a caveat too many', withCaveats({ extra: 1 }), /caveats must be exactly/],
    ...[1.5, -1, 2 ** 32, '3', true].map((v): [string, Uint8Array, RegExp] => [`subaccountIndex ${JSON.stringify(v)}`, withCaveats({ subaccountIndex: v }), /subaccountIndex must be null or a u32/]),
    ...[[], [2, 1], [1, 1], [70_000], ['1'], [1.5], 'any'].map((v): [string, Uint8Array, RegExp] => [`requestTypes ${JSON.stringify(v)}`, withCaveats({ requestTypes: v }), /requestTypes must be null or sorted distinct u16s/]),
    ...[-1, 1.5, '1', null, 2 ** 53].map((v): [string, Uint8Array, RegExp] => [`validUntilMs ${JSON.stringify(v)}`, withCaveats({ validUntilMs: v }), /validUntilMs must be a non-negative integer/]),
  ];
  for (const [name, bytes, message] of cases) {
    test(`${name}: 400 bad_login_message`, () => {
      assert.throws(() => parseLoginMessage(bytes), (e: unknown) => e instanceof VerifyError && e.status === 400 && e.code === 'bad_login_message' && message.test(e.message));
    });
  }
});
