/**
 * What the worker hands the approval window and takes from it, for issue 10: the host splits
 * (attack 10: the registrable domain of the requesting origin and of a named service, by the
 * Public Suffix List; the split always reads back as the very host), and the refusal of an
 * approval that comes right after the window was brought forward (attack 6).
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

describe('approval_decide right after a raise (attack 6)', () => {
  test('approving within the arming time of a raise is refused and changes nothing; rejecting is not held back; later it approves', async () => {
    const deps = await makeDeps();
    let raisedAt = deps.now() - 140;
    deps.approvalsRaisedAt = () => raisedAt;
    const params = { ttlSeconds: 60, role: 'TRADING_ONLY' as const, subaccountIndex: null, requestTypes: null, label: null };
    const { record } = await deps.approvals.enqueue({ origin: 'https://a.example', dedupeKey: 'a 1', kind: 'createSession', params });
    await assert.rejects(extensionHandlers.approval_decide(deps, { approvalId: record.id, approve: true }), (e: { code?: number }) => e.code === -32602);
    assert.equal((await deps.approvals.get(record.id))?.status, 'pending');
    assert.deepEqual(await deps.sessions.listAll(0), [], 'no session was made');
    raisedAt = deps.now() - 1_000;
    assert.deepEqual(await extensionHandlers.approval_decide(deps, { approvalId: record.id, approve: true }), { ok: true });
    assert.equal((await deps.approvals.get(record.id))?.status, 'approved');
    // A rejection is never held back: it is the safe answer.
    const second = await deps.approvals.enqueue({ origin: 'https://a.example', dedupeKey: 'a 2', kind: 'createSession', params });
    raisedAt = deps.now();
    assert.deepEqual(await extensionHandlers.approval_decide(deps, { approvalId: second.record.id, approve: false }), { ok: true });
  });
});

