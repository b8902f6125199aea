/**
 * Attacks on the approval window and the approval queue (issue 10), in real Chromium with the
 * built extension: a click on a window just brought forward (6), one site's subdomains filling
 * the queue (7), a label of stacked combining marks drawing over the FULL_ACCESS warning (9), a
 * long look-alike host reading as the real site (10), a look-alike IDN service host, and a page
 * telling from `eth_requestAccounts` that no vault exists. Sites other than the fixture server
 * are served by `context.route`, so any host name works without DNS. Run after `npm run build`.
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ROOT,
  approvalPages,
  call,
  launchExtension,
  nextApprovalPage,
  noApprovalWindow,
  openDapp,
  startServer,
  type Extension,
  type FixtureServer,
  type RpcOutcome,
} from './harness.js';

/** The approval window's size (`background/approvals/window.ts`). */
const WINDOW = { width: 400, height: 640 };
const DAPP = '<!doctype html><meta charset="utf-8"><title>dapp</title><h1>dapp</h1>';
/**
 * x with 61 different combining marks, 30 above and 31 below: different marks stack (the same
 * mark repeated is drawn in one place), into a tower several lines tall (attack 9).
 */
const MARKS_ABOVE = [0x30d, 0x30e, 0x304, 0x305, 0x33f, 0x311, 0x306, 0x310, 0x352, 0x357, 0x351, 0x307, 0x308, 0x30a, 0x342, 0x343, 0x344, 0x34a, 0x34b, 0x34c, 0x303, 0x302, 0x30c, 0x350, 0x300, 0x301, 0x30b, 0x30f, 0x312, 0x313];
const MARKS_BELOW = [0x316, 0x317, 0x318, 0x319, 0x31c, 0x31d, 0x31e, 0x31f, 0x320, 0x324, 0x325, 0x326, 0x329, 0x32a, 0x32b, 0x32c, 0x32d, 0x32e, 0x32f, 0x330, 0x331, 0x332, 0x333, 0x339, 0x33a, 0x33b, 0x33c, 0x345, 0x347, 0x348, 0x349];
const TOWER = `x${String.fromCodePoint(...MARKS_ABOVE, ...MARKS_BELOW)}`;
const LOOKALIKE_HOST = `app.uniswap.org.${Array.from({ length: 14 }, (_, i) => `secure-login-${i}`).join('.')}.evil.example`;

let server: FixtureServer;
let ext: Extension;

before(async () => {
  server = await startServer();
  ext = await launchExtension();
  // Any other host: a page Keyhold's content scripts are injected into, with no server behind it.
  await ext.context.route(/^https?:\/\/[^/]*\.(example|test)\//, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: DAPP }));
});
after(async () => {
  await ext?.close();
  await server?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves to the outcome, or 'pending' if it has not settled within `ms`. */
const settledWithin = <T>(p: Promise<T>, ms: number): Promise<T | 'pending'> => Promise.race([p, sleep(ms).then(() => 'pending' as const)]);

/** Pending approvals as the window lists them, from an extension page. */
async function pendingApprovals(): Promise<{ id: string; origin: string }[]> {
  const page = approvalPages(ext.context)[0] ?? (await nextApprovalPage(ext.context));
  const res = (await page.evaluate(() =>
    (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ channel: 'dev.keyhold/rpc', method: 'approval_list', params: {} }),
  )) as { ok: boolean; result: { id: string; origin: string }[] };
  assert.ok(res.ok);
  return res.result;
}

/** Closes every approval window (which rejects what waits) and waits until none is open. */
async function closeApprovals(): Promise<void> {
  for (const p of approvalPages(ext.context)) await p.close({ runBeforeUnload: false }).catch(() => undefined);
  await noApprovalWindow(ext.context);
}

const approveButton = (page: Page) => page.getByRole('button', { name: 'Approve', exact: true });

async function waitArmed(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Approve' && !b.disabled), undefined, { timeout: 10_000 });
}

describe('approval window attacks', () => {
  test('attack 6: a second createSession brings the window forward; a click on Approve 140 ms later does not approve', async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, server.urlA);
    const first = call(page, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'first' }]);
    const approval = await nextApprovalPage(ext.context);
    await approval.setViewportSize(WINDOW);
    await approval.getByText('first').waitFor();
    await waitArmed(approval);
    await sleep(300);
    // Where Approve is, to click it at an exact moment whatever its state (a real mouse click:
    // Playwright's own click would wait for the button to be enabled again).
    const box = (await approveButton(approval).boundingBox())!;
    // Record every state Approve passes through from now on.
    await approval.evaluate(() => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Approve')!;
      const w = window as unknown as { disabledSeen: boolean };
      w.disabledSeen = false;
      new MutationObserver(() => {
        const now = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Approve');
        if (now?.disabled) w.disabledSeen = true;
      }).observe(document.body, { subtree: true, attributes: true, childList: true });
      void button;
    });

    const t0 = Date.now();
    const second = call(page, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'second' }]);
    await sleep(Math.max(0, 140 - (Date.now() - t0)));
    await approval.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const clickedAt = Date.now() - t0;

    assert.equal(await settledWithin(first, 1_500), 'pending', `a click ${clickedAt} ms after the window was brought forward approved the request`);
    assert.deepEqual((await pendingApprovals()).length, 2, 'both requests still wait');
    assert.equal(await approval.evaluate(() => (window as unknown as { disabledSeen: boolean }).disabledSeen), true, 'Approve was disarmed when the window came forward');

    // The window still works: once armed again, a deliberate click approves the request shown.
    const retry = approval.getByRole('button', { name: 'Try again' });
    if (await retry.isVisible()) await retry.click();
    await approval.getByText('first').waitFor();
    await waitArmed(approval);
    await approveButton(approval).click();
    const made = await first;
    assert.ok(made.result, `the deliberate approval went through: ${JSON.stringify(made.error)}`);
    await approval.getByText('second').waitFor();
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    assert.equal((await second).error?.code, 4001);
    await page.close();
  });

  test('attack 6: focusing or showing the window re-arms Approve', async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, server.urlA);
    const asked = call(page, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'focus' }]);
    const approval = await nextApprovalPage(ext.context);
    await waitArmed(approval);
    for (const event of ['focus', 'visibilitychange']) {
      const disabledAfter = await approval.evaluate(async (event) => {
        if (event === 'focus') window.dispatchEvent(new FocusEvent('focus'));
        else document.dispatchEvent(new Event('visibilitychange'));
        await new Promise((r) => setTimeout(r, 50));
        return [...document.querySelectorAll('button')].find((b) => b.textContent === 'Approve')!.disabled;
      }, event);
      assert.equal(disabledAfter, true, `Approve is disarmed right after ${event}`);
      await waitArmed(approval);
    }
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    assert.equal((await asked).error?.code, 4001);
    await page.close();
  });

  test('attack 7: 7 subdomains of one site cannot fill the queue; another site still gets its approval', async () => {
    await closeApprovals();
    const pages: Page[] = [];
    const asks: Promise<RpcOutcome>[] = [];
    for (let s = 1; s <= 7; s++) {
      const page = await openDapp(ext.context, `http://s${s}.evil.example/`);
      pages.push(page);
      for (let r = 0; r < 3; r++) asks.push(call(page, 'keyhold_createSession', [{ ttlSeconds: 600, label: `s${s}-${r}` }]));
      // Let the refusals of this origin come back before the next one asks.
      await sleep(150);
    }
    // The domain's share is used up: what was refused was refused at once.
    const early = await Promise.all(asks.map((a) => settledWithin(a, 100)));
    const refused = early.filter((o) => o !== 'pending');
    assert.ok(refused.length >= 21 - 6, `the domain got more than its share: ${21 - refused.length} wait`);
    for (const o of refused) assert.equal((o as RpcOutcome).error?.code, -32005);

    const other = await openDapp(ext.context, server.urlB);
    const theirs = call(other, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'another site' }]);
    assert.equal(await settledWithin(theirs, 1_500), 'pending', 'another site is not refused (-32005)');
    const waiting = await pendingApprovals();
    assert.ok(waiting.some((a) => a.origin === server.originB), "the other site's request is queued");
    assert.equal(waiting.filter((a) => a.origin.endsWith('.evil.example')).length, 6);

    await closeApprovals();
    assert.equal((await theirs).error?.code, 4001);
    for (const page of [...pages, other]) await page.close();
  });

  test('attack 9: a label of stacked combining marks is refused; one that reaches the window is clipped to its row', async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, server.urlA);
    const refused = await settledWithin(call(page, 'keyhold_createSession', [{ ttlSeconds: 600, role: 'FULL_ACCESS', label: TOWER }]), 3_000);
    assert.notEqual(refused, 'pending', 'the label was accepted: an approval waits');
    assert.equal((refused as RpcOutcome).error?.code, -32602);
    assert.match((refused as RpcOutcome).error!.message, /label/);
    assert.equal(approvalPages(ext.context).length, 0, 'no window for a refused request');

    // The window's own defence, whatever reaches it: a queued request with the tower as its
    // label, written where the worker keeps its queue.
    await ext.worker.evaluate(async ({ origin, label }) => {
      const c = (globalThis as unknown as { chrome: { storage: { session: { set(v: unknown): Promise<void> } } } }).chrome;
      await c.storage.session.set({
        approvals: [
          {
            id: crypto.randomUUID(), origin, createdAt: Date.now(), kind: 'createSession', dedupeKey: `${origin} tower`, status: 'pending',
            params: { ttlSeconds: 600, role: 'FULL_ACCESS', subaccountIndex: null, requestTypes: null, label },
          },
        ],
      });
    }, { origin: server.originA, label: TOWER });
    const approval = await ext.context.newPage();
    await approval.setViewportSize(WINDOW);
    await approval.goto(`chrome-extension://${ext.extensionId}/approval.html`);
    const label = approval.locator('.facts__row', { hasText: 'Label' }).locator('dd');
    await label.waitFor();
    await approval.getByText('Full access lets this key do anything').waitFor();
    const card = approval.locator('article.request');
    // Approve armed first: the sticky footer over the card's lower edge must not change between the two shots.
    await waitArmed(approval);
    // The card with the label's row painted over, with the label shown and with it hidden: any
    // ink of the label outside its row (over the warning, the other facts) makes them differ.
    const shot = () => card.screenshot({ animations: 'disabled', mask: [label], maskColor: '#ff00ff' });
    const shown = await shot();
    await label.evaluate((el) => ((el as HTMLElement).style.visibility = 'hidden'));
    const hidden = await shot();
    assert.ok(shown.equals(hidden), 'the stacked marks draw outside the label’s row');
    await approval.close();
    // This window was not opened by the worker: take the planted request away by hand.
    await ext.worker.evaluate(() => (globalThis as unknown as { chrome: { storage: { session: { set(v: unknown): Promise<void> } } } }).chrome.storage.session.set({ approvals: [] }));
    await page.close();
  });

  test('attack 10: a long look-alike host shows its registrable domain alone on line 1; the rest is secondary, cut from the left', async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, `https://${LOOKALIKE_HOST}/`);
    const asked = call(page, 'keyhold_createSession', [{ ttlSeconds: 600, role: 'FULL_ACCESS' }]);
    const approval = await nextApprovalPage(ext.context);
    await approval.setViewportSize(WINDOW);
    const origin = approval.locator('#request-origin');
    await origin.waitFor();
    // Anonymous functions only: the test runner's transform names named ones with a helper the page lacks.
    const layout = await origin.evaluate((h2, needles) => {
      const top = h2.getBoundingClientRect().top;
      const lineHeight = parseFloat(getComputedStyle(h2).lineHeight);
      const nodes: Text[] = [];
      const walker = document.createTreeWalker(h2, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const all = nodes.map((n) => n.data).join('');
      // Where the first occurrence of each needle in the heading's text is drawn (across text
      // nodes), and whether each piece is visible: inside the window and not cut away by an
      // ancestor that clips its overflow.
      return needles.map((text) => {
        const at = all.indexOf(text);
        if (at < 0) return [];
        const range = document.createRange();
        let offset = 0;
        for (const n of nodes) {
          const end = offset + n.data.length;
          if (at >= offset && at < end) range.setStart(n, at - offset);
          if (at + text.length > offset && at + text.length <= end) {
            range.setEnd(n, at + text.length - offset);
            break;
          }
          offset = end;
        }
        return [...range.getClientRects()]
          .filter((r) => r.width > 0)
          .map((r) => {
            let visible = r.left >= 0 && r.right <= innerWidth;
            for (let el: Element | null = h2; el; el = el.parentElement) {
              const b = el.getBoundingClientRect();
              if (getComputedStyle(el).overflowX !== 'visible' && (r.right <= b.left + 1 || r.left >= b.right - 1)) visible = false;
            }
            return { line1: r.top - top < lineHeight, visible };
          });
      });
    }, ['evil.example', 'uniswap', 'secure-login-13.evil.example']);
    const [domain, lookalike, tail] = layout as { line1: boolean; visible: boolean }[][];
    assert.ok(domain!.length > 0 && domain!.every((r) => r.line1 && r.visible), `evil.example is drawn whole, on line 1, within the window: ${JSON.stringify(domain)}`);
    assert.ok(!lookalike!.some((r) => r.line1 && r.visible), 'nothing of the look-alike name is on line 1');
    assert.ok(tail!.some((r) => r.visible), 'the end of the whole host shows on line 2');
    assert.equal(await origin.locator('[title]').first().getAttribute('title'), `https://${LOOKALIKE_HOST}`, 'the whole origin is one hover away');
    await mkdir(join(ROOT, 'artifacts/screenshots'), { recursive: true });
    await approval.screenshot({ path: join(ROOT, 'artifacts/screenshots/approval-lookalike.png'), animations: 'disabled' });
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    assert.equal((await asked).error?.code, 4001);
    await page.close();
  });

  test('who asks comes first: the verified domain, one plain sentence, then the page’s own words (title, label) set apart from the facts', async () => {
    await closeApprovals();
    const page = await ext.context.newPage();
    await page.goto('https://trade.exchange.example/');
    await page.evaluate(() => {
      document.title = 'Demo Exchange \u202Eevil\u202C · trading';
    });
    await page.waitForFunction(() => typeof window.keyhold?.request === 'function');
    const asked = call(page, 'keyhold_createSession', [{ ttlSeconds: 7200, requestTypes: [1, 2], label: 'Demo Exchange' }]);
    const approval = await nextApprovalPage(ext.context);
    await approval.setViewportSize(WINDOW);
    const origin = approval.locator('#request-origin');
    await origin.waitFor();
    assert.equal(await origin.locator('.origin__domain').textContent(), 'exchange.example');
    assert.equal(await approval.getByTestId('request-ask').textContent(), 'exchange.example wants to sign requests of type 1 and 2 for you for 2 hours.');
    // The page's title and label: in their own region, marked as the site's words, not among the verified facts.
    const words = approval.getByRole('region', { name: "In the site's own words" });
    await words.waitFor();
    assert.match((await words.textContent())!, /not checked by Keyhold/);
    const title = words.locator('.facts__row', { hasText: 'Page title' }).locator('dd');
    assert.equal(await title.textContent(), 'Demo Exchange evil · trading', 'the bidi override is gone; the title is shown as text');
    assert.equal(await words.locator('.facts__row', { hasText: 'Label' }).locator('dd').textContent(), 'Demo Exchange');
    const facts = approval.locator('article.request > dl.facts');
    assert.equal(await facts.getByText('Demo Exchange').count(), 0, 'the label is not among the verified facts');
    // Who asks is read before what: domain, then the sentence, then the page's words, then the facts.
    const order = await approval.evaluate(() =>
      ['#request-origin', '[data-testid="request-ask"]', '.site-words', 'article.request > dl.facts'].map((sel) => document.querySelector(sel)!.getBoundingClientRect().top),
    );
    assert.deepEqual([...order].sort((a, b) => a - b), order, `top to bottom: ${order.join(', ')}`);
    // No image from the page's address: the avatar is a letter of the verified domain.
    assert.equal(await approval.locator('img[src^="http"]').count(), 0);
    assert.equal(await approval.locator('.site-avatar').textContent(), 'E');
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    assert.equal((await asked).error?.code, 4001);
    await page.close();
  });

  test('a data: favicon the browser hands over is shown beside the page title, as the page’s own; an http one never is', async () => {
    await closeApprovals();
    const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await ext.context.route('https://icons.example/**', (route) => {
      const html = `<!doctype html><meta charset="utf-8"><title>Icon exchange</title><link rel="icon" href="${PNG}"><h1>icons</h1>`;
      return route.fulfill({ contentType: 'text/html; charset=utf-8', body: html });
    });
    try {
      const page = await openDapp(ext.context, 'https://icons.example/');
      // The browser takes the page's icon once it has loaded.
      await sleep(500);
      const asked = call(page, 'keyhold_createSession', [{ ttlSeconds: 600 }]);
      const approval = await nextApprovalPage(ext.context);
      const words = approval.getByRole('region', { name: "In the site's own words" });
      await words.getByText('Icon exchange').waitFor();
      const icon = words.locator('img.site-words__icon');
      assert.equal(await icon.count(), 1, 'the icon is shown in the page’s own words');
      assert.equal(await icon.getAttribute('src'), PNG);
      assert.equal(await approval.locator('.request__site img').count(), 0, 'never beside the verified domain');
      await approval.getByRole('button', { name: 'Reject', exact: true }).click();
      assert.equal((await asked).error?.code, 4001);
      await page.close();
    } finally {
      await ext.context.unroute('https://icons.example/**');
    }
  });

  test('Approve shows its arming: a fill over the arm delay and a status line it is described by, announced; then the line clears', async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, server.urlA);
    const asked = call(page, 'keyhold_createSession', [{ ttlSeconds: 600, label: 'arming' }]);
    const approval = await nextApprovalPage(ext.context);
    await waitArmed(approval);
    const describedBy = await approveButton(approval).getAttribute('aria-describedby');
    assert.ok(describedBy, 'Approve has a description');
    const status = approval.locator(`#${describedBy}`);
    assert.equal(await status.getAttribute('role'), 'status', 'the description is a polite live region');
    assert.equal((await status.textContent())!.trim(), '', 'armed: nothing to say');
    // Re-arm (the window regains focus) and look at once, before the delay is over.
    const during = await approval.evaluate(async () => {
      window.dispatchEvent(new FocusEvent('focus'));
      await new Promise((r) => setTimeout(r, 50));
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Approve')!;
      const fill = getComputedStyle(button, '::after');
      return {
        disabled: button.disabled,
        arming: button.dataset.arming,
        animation: fill.animationName,
        duration: fill.animationDuration,
        height: parseFloat(fill.height),
        status: document.getElementById(button.getAttribute('aria-describedby')!)!.textContent,
      };
    });
    assert.equal(during.disabled, true);
    assert.equal(during.arming, 'true');
    assert.equal(during.animation, 'arm-fill', 'the fill runs');
    assert.equal(during.duration, '0.5s', 'over the arm delay');
    assert.ok(during.height > 0, 'the fill is drawn');
    assert.match(during.status!, /^Approve becomes available in a moment/);
    await waitArmed(approval);
    assert.equal((await status.textContent())!.trim(), '');
    assert.equal(await approveButton(approval).getAttribute('data-arming'), null);
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    assert.equal((await asked).error?.code, 4001);
    await page.close();
  });

  test('a request held by something else says what, under Approve', async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, server.urlA);
    const asked = call<string[]>(page, 'eth_requestAccounts');
    const approval = await nextApprovalPage(ext.context);
    await sleep(700);
    assert.equal(await approveButton(approval).isDisabled(), true);
    const describedBy = await approveButton(approval).getAttribute('aria-describedby');
    assert.equal(await approval.locator(`#${describedBy}`).textContent(), 'Set up a Keyhold account to approve.');
    assert.equal(await approval.locator(`#${describedBy}`).isVisible(), true, 'shown, not only announced');
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    assert.equal((await asked).error?.code, 4001);
    await page.close();
  });

  test("a look-alike IDN service host is warned like an IDN site", async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, server.urlA);
    const asked = call(page, 'keyhold_createSession', [{ ttlSeconds: 600, service: { baseUrl: 'https://api.xn--exmple-cua.test' } }]);
    const approval = await nextApprovalPage(ext.context);
    await approval.getByText("The service's address uses international characters; check it carefully.").waitFor();
    assert.equal(await approval.getByText('This address uses international characters; check it carefully.').count(), 0, 'the site itself is not IDN');
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    assert.equal((await asked).error?.code, 4001);
    await page.close();
  });

  test('eth_requestAccounts with no vault: the page cannot tell; the window offers to set one up; dismissing is the same 4001 as a decline', async () => {
    await closeApprovals();
    const page = await openDapp(ext.context, server.urlA);
    const asked = call<string[]>(page, 'eth_requestAccounts');
    assert.equal(await settledWithin(asked, 1_500), 'pending', 'no answer before the user acts');
    const approval = await nextApprovalPage(ext.context);
    await approval.getByText('Keyhold has no account yet.', { exact: false }).waitFor();
    await sleep(700);
    assert.equal(await approveButton(approval).isDisabled(), true, 'nothing to connect yet');
    await approval.getByRole('button', { name: 'Reject', exact: true }).click();
    assert.deepEqual((await asked).error, { code: 4001, message: 'The user rejected the connection request.' });
    // Closing the window is the same answer.
    const again = call<string[]>(page, 'eth_requestAccounts');
    await nextApprovalPage(ext.context);
    await closeApprovals();
    assert.deepEqual((await again).error, { code: 4001, message: 'The user rejected the connection request.' });
    await page.close();
  });
});
