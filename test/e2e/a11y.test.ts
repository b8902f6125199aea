/**
 * Accessibility of every popup view and every kind of approval, in real Chromium with the built
 * extension, in light and in dark: axe-core (WCAG 2.0/2.1 A and AA, and best practice) finds no
 * serious or critical violation, and every button reached by Tab shows a visible focus indicator
 * (its computed outline or box-shadow differs from the unfocused button's). Approvals come from
 * real page requests against the reference service, so each window shows real data.
 * Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { startService, type RunningService } from '../../service/server.js';
import {
  call,
  launchExtension,
  nextApprovalPage,
  noApprovalWindow,
  ok,
  openDapp,
  serveSites,
  startServer,
  type Extension,
  type FixtureServer,
  type RpcOutcome,
} from './harness.js';

const HARDHAT = 'test test test test test test test test test test test junk';
const ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const PASSWORD = 'correct horse battery';
/** The approval window's size (`background/approvals/window.ts`), and the popup's. */
const WINDOW = { width: 400, height: 640 };
const POPUP = { width: 360, height: 560 };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const SCHEMES = ['light', 'dark'] as const;
/**
 * Rules that fail at any impact, not only serious or critical: the ones the audit of issue 14
 * found (a <main> made a tab panel loses the main landmark; page content outside landmarks).
 */
const ALWAYS = new Set(['landmark-one-main', 'region', 'aria-allowed-role', 'aria-prohibited-attr', 'landmark-unique', 'heading-order', 'scrollable-region-focusable']);

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let service: RunningService;
let server: FixtureServer;
let ext: Extension;
let pageA: Page;
let pageB: Page;

/** Every violation of any impact, written to `$A11Y_REPORT` (a JSON file) after the run when set. */
const everything: Finding[] = [];

/** A violation found by axe, or by the run. */
interface Finding {
  view: string;
  scheme: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Calls the extension-page RPC from one of Keyhold's own pages, as the popup does. */
async function rpc<T>(method: string, params: unknown = {}): Promise<T> {
  const page = await ext.context.newPage();
  try {
    await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const answer = (await page.evaluate(
      ([m, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(x: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method: m, params: p }),
      [method, params] as const,
    )) as { ok: boolean; result?: T; error?: { code: number; message: string } };
    if (!answer.ok) throw new Error(`${method}: ${answer.error?.code} ${answer.error?.message}`);
    return answer.result as T;
  } finally {
    await page.close();
  }
}

/** Waits until the page shows no spinner (its data has loaded) and its fonts and layout settle. */
async function settled(page: Page): Promise<void> {
  await page.locator('main').first().waitFor();
  await page.waitForFunction(() => document.querySelector('.spinner') === null, undefined, { timeout: 10_000 });
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

/** axe-core on the page as it is: serious and critical violations, and those of the rules in ALWAYS. */
async function axe(page: Page, view: string, scheme: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // By the DevTools protocol, so the extension's CSP (script-src 'self') does not apply.
    await page.evaluate(await axeSource);
  }
  const violations = (await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } }).axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => r.violations),
    TAGS,
  )) as Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
  const all = violations.map((v) => ({ view, scheme, rule: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  everything.push(...all);
  return all.filter((f) => f.impact === 'serious' || f.impact === 'critical' || ALWAYS.has(f.rule));
}

/**
 * In-page helpers of the focus check, as a string: the test runner's transform names the
 * functions it compiles with a helper the page lacks.
 */
const FOCUS_HELPERS = `
window.focusLook = (el) => {
  const s = getComputedStyle(el);
  return { outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor, shadow: s.boxShadow, style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
};
window.focusName = (el) => (el.textContent || '').trim() || el.getAttribute('aria-label') || '(unnamed)';
window.focusRecord = () => {
  if (document.activeElement) document.activeElement.blur();
  window.focusLooks = new Map([...document.querySelectorAll('button')].map((b) => [b, window.focusLook(b)]));
  return [...document.querySelectorAll('button')]
    .filter((b) => !b.disabled && b.tabIndex >= 0 && b.getClientRects().length > 0 && getComputedStyle(b).visibility !== 'hidden')
    .map(window.focusName);
};
window.focusNow = () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const key = el.outerHTML.slice(0, 300);
  if (el.tagName !== 'BUTTON') return { key, button: null };
  const before = window.focusLooks.get(el);
  const now = window.focusLook(el);
  const drawn = now.style !== 'none' && now.width > 0 && !/rgba\\(\\d+, \\d+, \\d+, 0\\)/.test(now.color);
  const visible = (drawn && now.outline !== (before && before.outline)) || (now.shadow !== 'none' && now.shadow !== (before && before.shadow));
  return { key, button: { name: window.focusName(el), visible, outline: now.outline, shadow: now.shadow } };
};
`;

interface Focused {
  key: string;
  button: { name: string; visible: boolean; outline: string; shadow: string } | null;
}

/**
 * Tabs through the page from the top and checks every button it reaches for a visible focus
 * indicator: an outline drawn, or a box-shadow, that the unfocused button does not have. Every
 * enabled, visible button that is in the tab order must be reached.
 */
async function focusCheck(page: Page, view: string, scheme: string): Promise<string[]> {
  const problems: string[] = [];
  await page.evaluate(FOCUS_HELPERS);
  // The unfocused look of each button, before any of them has focus.
  const expected = (await page.evaluate('window.focusRecord()')) as string[];
  const reached = new Set<string>();
  let first: string | null = null;
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const seen = (await page.evaluate('window.focusNow()')) as Focused | null;
    if (seen === null) continue;
    if (seen.key === first) break;
    first ??= seen.key;
    if (seen.button === null) continue;
    reached.add(seen.button.name);
    if (!seen.button.visible) problems.push(`${view} (${scheme}): "${seen.button.name}" shows no focus (outline ${seen.button.outline}, box-shadow ${seen.button.shadow})`);
  }
  for (const name of expected) if (!reached.has(name)) problems.push(`${view} (${scheme}): "${name}" is never reached by Tab`);
  return problems;
}

/** axe and the focus check, light then dark. */
async function audit(page: Page, view: string): Promise<{ findings: Finding[]; focus: string[] }> {
  const findings: Finding[] = [];
  const focus: string[] = [];
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await settled(page);
    findings.push(...(await axe(page, view, scheme)));
    focus.push(...(await focusCheck(page, view, scheme)));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return { findings, focus };
}

function assertClean({ findings, focus }: { findings: Finding[]; focus: string[] }): void {
  const axeText = findings.map((f) => `${f.view} (${f.scheme}): ${f.rule} [${f.impact}] ${f.help}: ${f.targets.slice(0, 4).join(', ')}`);
  assert.deepEqual([...axeText, ...focus], [], 'accessibility problems');
}

async function openPopup(): Promise<Page> {
  const page = await ext.context.newPage();
  await page.setViewportSize(POPUP);
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  return page;
}

/** Audits each of the popup's views (Home, then each other tab) as they are now. */
async function auditPopup(name: string): Promise<void> {
  const popup = await openPopup();
  try {
    assertClean(await audit(popup, `popup ${name}: Home`));
    for (const tab of ['Activity', 'Settings']) {
      await popup.getByRole('tab', { name: tab, exact: true }).click();
      assertClean(await audit(popup, `popup ${name}: ${tab}`));
    }
  } finally {
    await popup.close();
  }
}

/** Waits until Approve is armed (or for the arm delay, when the request keeps it disabled on purpose). */
async function armed(page: Page): Promise<void> {
  await page
    .waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Approve' && !b.disabled), undefined, { timeout: 2_000 })
    .catch(() => undefined);
}

/**
 * Sends a request from `page`, audits the approval window it opens (after `ready`), then rejects
 * it (or approves it, for what later views need) and returns the page's answer.
 */
async function auditApproval<T>(
  view: string,
  ask: () => Promise<RpcOutcome<T>>,
  opts: { ready?: (w: Page) => Promise<void>; decide?: (w: Page) => Promise<void> } = {},
): Promise<RpcOutcome<T>> {
  await noApprovalWindow(ext.context);
  const answer = ask();
  const w = await nextApprovalPage(ext.context);
  await w.setViewportSize(WINDOW);
  await w.getByRole('heading', { level: 1 }).waitFor();
  let result: Awaited<ReturnType<typeof audit>> | undefined;
  try {
    await opts.ready?.(w);
    await armed(w);
    result = await audit(w, `approval: ${view}`);
  } finally {
    // Whatever happened, answer the request, so the next test gets its own window.
    if (result && opts.decide) await opts.decide(w);
    else await w.getByRole('button', { name: 'Reject', exact: true }).click();
  }
  const out = await answer;
  assertClean(result);
  return out;
}

const hex = (text: string) => `0x${Buffer.from(text, 'utf8').toString('hex')}`;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
const siwe = (domain: string, uri: string) =>
  `${domain} wants you to sign in with your Ethereum account:\n${ACCOUNT}\n\nSign in to the accessibility test.\n\nURI: ${uri}\nVersion: 1\nChain ID: 1\nNonce: a11ynonce42\nIssued At: 2026-12-02T12:00:00.000Z`;
const MAIL = {
  types: {
    EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' }],
    Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }],
    Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person' }, { name: 'contents', type: 'string' }],
  },
  primaryType: 'Mail',
  domain: { name: 'Ether Mail', version: '1', chainId: 1 },
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
  },
};

before(async () => {
  service = await startService({ testHooks: true });
  server = await startServer();
  serveSites(service, server);
  ext = await launchExtension();
});
after(async () => {
  if (process.env.A11Y_REPORT) await writeFile(process.env.A11Y_REPORT, JSON.stringify(everything, null, 2));
  await ext?.close();
  await server?.close();
  await service?.close();
});

describe('accessibility: axe-core (WCAG 2.1 AA and best practice) and visible focus, light and dark', () => {
  test('popup, first run (no vault)', async () => {
    await auditPopup('first run');
  });

  test('the welcome tab: the explanation and the vault setup, then the vault ready', async () => {
    const tab = await ext.context.newPage();
    try {
      await tab.goto(`chrome-extension://${ext.extensionId}/onboarding.html`);
      await tab.getByRole('heading', { name: 'Set up your vault', exact: true }).waitFor();
      assertClean(await audit(tab, 'welcome tab: setup'));
      await rpc('vault_create', { password: PASSWORD, secret: { kind: 'mnemonic', mnemonic: HARDHAT } });
      await tab.reload();
      await tab.getByRole('heading', { name: 'Your vault is ready', exact: true }).waitFor();
      assertClean(await audit(tab, 'welcome tab: ready'));
    } finally {
      await tab.close();
    }
  });

  test('popup, vault unlocked, no sessions yet', async () => {
    await auditPopup('unlocked, no sessions');
  });

  test('approval: connect', async () => {
    pageA = await openDapp(ext.context, server.urlA);
    pageB = await openDapp(ext.context, server.urlB);
    const accounts = await auditApproval('connect', () => call<string[]>(pageA, 'eth_requestAccounts'), {
      decide: (w) => w.getByRole('button', { name: 'Approve', exact: true }).click(),
    });
    assert.deepEqual(ok(accounts).map((a) => a.toLowerCase()), [ACCOUNT.toLowerCase()]);
  });

  test('approval: a session request with a policy, a service descriptor and the vault signing its login', async () => {
    const made = await auditApproval(
      'session with policy',
      () =>
        call<{ status: string }>(pageA, 'keyhold_createSession', [
          {
            ttlSeconds: 7200,
            requestTypes: [1, 2],
            label: 'Demo Exchange',
            service: { baseUrl: service.url },
            policy: { maxPerMinute: 5, rules: { 1: { type: 'object', properties: { qty: { type: 'number', maximum: 10 } } } }, caps: [{ requestType: 1, pointer: '/qty', max: 25 }] },
          },
        ]),
      {
        ready: async (w) => {
          await w.getByRole('list', { name: 'Policy rules' }).waitFor();
          // The controls that tighten the limits, open.
          await w.getByText('Tighten the limits').click();
          await w.getByLabel('Signatures a minute, at most').waitFor();
        },
        decide: (w) => w.getByRole('button', { name: 'Approve', exact: true }).click(),
      },
    );
    assert.equal(ok(made).status, 'active');
  });

  test('approval: a session at another party’s service (login consent, cross-site warning)', async () => {
    const made = await auditApproval(
      'cross-site login',
      () => call<{ status: string }>(pageB, 'keyhold_createSession', [{ ttlSeconds: 3600, role: 'FULL_ACCESS', label: 'Exchange', service: { baseUrl: service.url } }]),
      {
        ready: (w) => w.getByRole('alert').filter({ hasText: 'is not part of' }).waitFor(),
        decide: async (w) => {
          await w.getByRole('checkbox', { name: /^I trust / }).check();
          await armed(w);
          await w.getByRole('button', { name: 'Approve', exact: true }).click();
        },
      },
    );
    assert.equal(ok(made).status, 'active');
  });

  test('approval: a plain session request (no service)', async () => {
    const made = await auditApproval('plain session', () => call(pageA, 'keyhold_createSession', [{ ttlSeconds: 600, requestTypes: [7], label: 'Keyboard' }]), {
      decide: (w) => w.getByRole('button', { name: 'Approve', exact: true }).click(),
    });
    ok(made);
  });

  test('popup, unlocked, with sessions and activity; an open are-you-sure question', async () => {
    await auditPopup('with sessions');
    const popup = await openPopup();
    try {
      await popup.getByRole('button', { name: 'Revoke everything', exact: true }).click();
      await popup.getByRole('button', { name: 'Cancel', exact: true }).waitFor();
      assertClean(await audit(popup, 'popup: Revoke everything, asking'));
      await popup.getByRole('button', { name: 'Cancel', exact: true }).click();
    } finally {
      await popup.close();
    }
  });

  test('approval: a confirm-type signature (Withdraw waits for a click)', async () => {
    const sessions = await rpc<Array<{ id: string; label: string | null }>>('session_listAll');
    const id = sessions.find((s) => s.label === 'Demo Exchange')!.id;
    const sent = await auditApproval(
      'confirm-type signature',
      () => call(pageA, 'keyhold_send', [{ sessionId: id, path: '/api/v1/withdrawals', requestType: 2, body: b64({ asset: 'USDC', amount: 5 }) }]),
      { ready: (w) => w.getByTestId('confirm-summary').waitFor() },
    );
    assert.equal(sent.error?.code, 4001);
  });

  test('approval: personal_sign, a plain message; the account by its name and whole checksummed address', async () => {
    const out = await auditApproval('personal_sign', () => call(pageA, 'personal_sign', [hex('Hello from the accessibility test.\nSecond line.'), ACCOUNT.toLowerCase()]), {
      ready: async (w) => {
        const account = w.locator('.facts__row', { hasText: 'Account' }).locator('dd');
        assert.equal(await account.locator('.account-line__name').textContent(), 'Account 1');
        assert.equal(await account.locator('code').textContent(), ACCOUNT, 'checksummed and whole, though the page sent it in lower case');
      },
    });
    assert.equal(out.error?.code, 4001);
  });

  test('approval: personal_sign, Sign-In with Ethereum for this site', async () => {
    const out = await auditApproval('SIWE', () => call(pageA, 'personal_sign', [hex(siwe(new URL(server.urlA).host, server.originA)), ACCOUNT]), {
      ready: (w) => w.getByRole('heading', { name: 'Sign-in request' }).waitFor(),
    });
    assert.equal(out.error?.code, 4001);
  });

  test('approval: personal_sign, Sign-In with Ethereum for another site (warning, second confirmation)', async () => {
    const out = await auditApproval('SIWE for another site', () => call(pageA, 'personal_sign', [hex(siwe('bank.example', 'https://bank.example')), ACCOUNT]), {
      ready: (w) => w.getByRole('alert').filter({ hasText: 'bank.example' }).waitFor(),
    });
    assert.equal(out.error?.code, 4001);
  });

  test('approval: typed data (EIP-712)', async () => {
    const out = await auditApproval('typed data', () => call(pageA, 'eth_signTypedData_v4', [ACCOUNT, JSON.stringify(MAIL)]), {
      ready: (w) => w.getByText('Hello, Bob!').waitFor(),
    });
    assert.equal(out.error?.code, 4001);
  });

  test('approval: switch and add a chain', async () => {
    const switched = await auditApproval('switch chain', () => call(pageA, 'wallet_switchEthereumChain', [{ chainId: '0x2105' }]), {
      ready: (w) => w.getByRole('heading', { name: 'Switch network request' }).waitFor(),
    });
    assert.equal(switched.error?.code, 4001);
    const added = await auditApproval(
      'add chain',
      () =>
        call(pageA, 'wallet_addEthereumChain', [
          { chainId: '0x7a69', chainName: 'Anvil', rpcUrls: ['http://127.0.0.1:8545/'], nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, blockExplorerUrls: ['https://explorer.example/'] },
        ]),
      { ready: (w) => w.getByRole('heading', { name: 'Add network request' }).waitFor() },
    );
    assert.equal(added.error?.code, 4001);
  });

  test('approval: an API key', async () => {
    const out = await auditApproval('API key', () => call(pageA, 'keyhold_createApiKey', [{ name: 'Trading bot', validUntil: Date.now() + 86_400_000, service: { baseUrl: service.url } }]), {
      ready: (w) => w.getByRole('heading', { name: 'API key request' }).waitFor(),
    });
    assert.equal(out.error?.code, 4001);
  });

  test('popup, vault locked; and an approval that needs the locked vault (unlock form)', async () => {
    await rpc('vault_lock');
    await auditPopup('locked');
    const out = await auditApproval('personal_sign while locked', () => call(pageA, 'personal_sign', [hex('Signed after unlocking.'), ACCOUNT]), {
      ready: (w) => w.getByLabel('Password', { exact: true }).waitFor(),
    });
    assert.equal(out.error?.code, 4001);
  });
});
