/**
 * The host splits the worker hands the approval window (attack 10): the registrable domain of
 * the requesting origin and of a named service, by the Public Suffix List; the split always
 * reads back as the very host.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsOf } from '../../background/approvals/hosts.js';
import { extensionHandlers } from '../../background/router/extension-rpc.js';
import { makeDeps } from './fakes.js';

const LOOKALIKE = `https://app.uniswap.org.${Array.from({ length: 12 }, (_, i) => `l${i}`).join('.')}.evil.example`;

describe('approval host splits', () => {
  test('a long look-alike host: the registrable domain is set apart from everything before it', () => {
    const hosts = hostsOf({ origin: LOOKALIKE, params: { ttlSeconds: 60 } as never });
    const host = new URL(LOOKALIKE).hostname;
    assert.deepEqual(Object.keys(hosts), [host]);
    assert.equal(hosts[host]!.domain, 'evil.example');
    assert.equal(hosts[host]!.subdomain + hosts[host]!.domain, host);
  });

  test("a service's host is split too; private suffixes and loopback as the list says", () => {
    const hosts = hostsOf({ origin: 'https://alice.github.io', params: { service: { baseUrl: 'https://api.xn--exmple-cua.co.uk:8443' } } as never });
    assert.deepEqual(hosts, {
      'alice.github.io': { subdomain: '', domain: 'alice.github.io' },
      'api.xn--exmple-cua.co.uk': { subdomain: 'api.', domain: 'xn--exmple-cua.co.uk' },
    });
    assert.deepEqual(hostsOf({ origin: 'http://127.0.0.1:4000', params: {} as never }), { '127.0.0.1': { subdomain: '', domain: '127.0.0.1' } });
  });

  test('approval_list hands the splits to the window with each request', async () => {
    const deps = await makeDeps();
    await deps.approvals.enqueue({ origin: LOOKALIKE, dedupeKey: 'x 1', kind: 'createSession', params: { ttlSeconds: 60, role: 'FULL_ACCESS', subaccountIndex: null, requestTypes: null, label: null } });
    const [view] = await extensionHandlers.approval_list(deps, {});
    assert.equal(view!.hosts?.[new URL(LOOKALIKE).hostname]?.domain, 'evil.example');
  });
});
