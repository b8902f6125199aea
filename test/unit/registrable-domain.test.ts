/**
 * Registrable domains from the Public Suffix List: ICANN and private suffixes, IPs, loopback,
 * punycode, and the look-alike hosts of the delegation issue.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostParts, originDomain, registrableDomain, sameSite } from '../../src/sites/registrable-domain.js';

describe('registrableDomain', () => {
  const cases: Array<[string, string]> = [
    ['app.uniswap.org', 'uniswap.org'],
    ['a.b.co.uk', 'b.co.uk'],
    ['alice.github.io', 'alice.github.io'],
    ['s1.evil.example', 'evil.example'],
    ['s7.evil.example', 'evil.example'],
    ['app.uniswap.org.x1.x2.x3.evil.example', 'evil.example'],
    ['xn--80ak6aa92e.com', 'xn--80ak6aa92e.com'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '[::1]'],
    ['EXCHANGE.Example.COM', 'example.com'],
  ];
  for (const [host, domain] of cases) test(`${host} → ${domain}`, () => assert.equal(registrableDomain(host), domain));
  test('refuses a non-string', () => assert.throws(() => registrableDomain(7 as unknown as string), TypeError));
});

describe('hostParts and sameSite', () => {
  test('sets the registrable domain apart', () => {
    assert.deepEqual(hostParts('app.uniswap.org.x1.evil.example'), { subdomain: 'app.uniswap.org.x1.', domain: 'evil.example' });
    assert.deepEqual(hostParts('127.0.0.1'), { subdomain: '', domain: '127.0.0.1' });
  });
  test('same registrable domain across subdomains, schemes and ports; different across suffix owners', () => {
    assert.equal(originDomain('https://api.exchange.example:8443'), 'exchange.example');
    assert.ok(sameSite('https://app.exchange.example', 'https://api.exchange.example'));
    assert.ok(!sameSite('https://evil.example', 'https://api.exchange.example'));
    assert.ok(!sameSite('https://alice.github.io', 'https://bob.github.io'));
    assert.ok(sameSite('http://127.0.0.1:3000', 'http://127.0.0.1:4000'));
    assert.ok(!sameSite('http://localhost:3000', 'http://127.0.0.1:3000'));
  });
});
