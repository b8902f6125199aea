/**
 * Properties of the bound login (spec/signing.md §10), over many random logins, against the
 * reference service's login handler called directly (no HTTP, so hundreds of cases stay fast):
 * a login verifies at its audience only; a login for audience A replayed at B is refused; a
 * passkey login from another origin is refused. Logins are built by the test's own template
 * (helpers.ts), not by the extension.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ServiceError } from '../../service/errors.js';
import { login as loginHandler } from '../../service/handlers/login.js';
import { ServiceState } from '../../service/state.js';
import { MasterKey, Passkey, SessionKey, loginMessage, uuidText, uuidv7, type Envelope } from './helpers.js';

const NOW = Date.UTC(2026, 0, 1);
const arbOrigin = fc
  .tuple(fc.constantFrom('https', 'http'), fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), fc.constantFrom('example', 'test', 'exchange.example'), fc.option(fc.integer({ min: 1024, max: 65535 }), { nil: undefined }))
  .map(([scheme, label, tld, port]) => new URL(`${scheme}://${label}.${tld}${port === undefined ? '' : `:${port}`}`).origin);
const arbTerms = fc.record({
  role: fc.constantFrom('TRADING_ONLY' as const, 'FULL_ACCESS' as const),
  subaccountIndex: fc.option(fc.nat({ max: 0xffffffff }), { nil: null }),
  requestTypes: fc.option(fc.uniqueArray(fc.nat({ max: 0xffff }), { minLength: 1, maxLength: 5 }).map((a) => a.sort((x, y) => x - y)), { nil: null }),
  ttlMs: fc.integer({ min: 1000, max: 30 * 86_400_000 }),
});

function service(origins: string[], sites: string[]): ServiceState {
  const state = new ServiceState();
  for (const o of origins) state.origins.add(o);
  for (const s of sites) state.sites.add(s);
  return state;
}

/** Calls the handler (async: it verifies with @keyhold/verify); answers the status and error code. */
async function post(state: ServiceState, envelope: Envelope): Promise<{ status: number; code?: string }> {
  try {
    return { status: (await loginHandler({ headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(envelope)), nowMs: NOW, state })).status };
  } catch (err) {
    if (err instanceof ServiceError) return { status: err.status, code: err.code };
    throw err;
  }
}

const masters = Array.from({ length: 4 }, () => new MasterKey());

describe('bound login properties', () => {
  test('a secp256k1 login verifies at its audience only; replayed at another service it is refused (wrong_audience)', async () => {
    await fc.assert(
      fc.asyncProperty(arbOrigin, arbOrigin, arbOrigin, arbTerms, fc.nat({ max: masters.length - 1 }), async (site, a, b, terms, m) => {
        fc.pre(a !== b);
        const master = masters[m]!;
        const text = loginMessage({
          site, audience: a, sessionId: uuidText(uuidv7(NOW)), publicKey: new SessionKey().publicKey,
          role: terms.role, subaccountIndex: terms.subaccountIndex, requestTypes: terms.requestTypes,
          validUntilMs: NOW + terms.ttlMs, issuedAtMs: NOW, address: master.address,
        });
        const envelope = master.sign(Buffer.from(text));
        // B first: the refusal must not burn the nonce at A.
        assert.deepEqual(await post(service([b], [site]), envelope), { status: 401, code: 'wrong_audience' });
        const atA = service([a], [site]);
        assert.equal((await post(atA, envelope)).status, 200);
        assert.equal(atA.sessions.size, 1);
        assert.deepEqual(await post(atA, envelope), { status: 409, code: 'replayed_login' }, 'and only once');
        // A service that is the audience but does not serve the site refuses it too.
        assert.deepEqual(await post(service([a], []), envelope), { status: 401, code: 'site_not_served' });
      }),
      { numRuns: 150 },
    );
  });

  test('a passkey login verifies only for the origin its passkey belongs to', async () => {
    await fc.assert(
      fc.asyncProperty(arbOrigin, arbOrigin, arbOrigin, arbTerms, async (site, other, audience, terms) => {
        fc.pre(site !== other);
        const passkey = new Passkey(new URL(site).hostname, site);
        const state = service([audience], [site, other]);
        state.addPasskey({ credentialId: Buffer.from(passkey.credentialId).toString('base64'), spki: passkey.spki, rpId: passkey.rpId, origin: site });
        const make = (forSite: string) =>
          Buffer.from(loginMessage({
            site: forSite, audience, sessionId: uuidText(uuidv7(NOW)), publicKey: new SessionKey().publicKey, role: terms.role,
            subaccountIndex: terms.subaccountIndex, requestTypes: terms.requestTypes, validUntilMs: NOW + terms.ttlMs, issuedAtMs: NOW, address: null,
          }));
        // The login names another site than the passkey's: refused.
        assert.deepEqual(await post(state, passkey.sign(make(other))), { status: 401, code: 'wrong_site' });
        // Its own site, but the assertion came from another origin: refused.
        assert.deepEqual(await post(state, passkey.sign(make(site), { origin: other })), { status: 401, code: 'passkey_origin_not_allowed' });
        assert.equal((await post(state, passkey.sign(make(site)))).status, 200);
      }),
      { numRuns: 100 },
    );
  });
});
