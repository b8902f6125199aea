/**
 * The content-script relay with a fake window and fake runtime ports: which window messages it
 * accepts, batching, lazy connection, reconnect-and-replay after a worker restart, and the 4900
 * and -32005 failures (invariant 7: no page request is left hanging).
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ANSWER_TIMEOUT_MS, MAX_IN_FLIGHT, MAX_NESTING, MAX_NODES, MAX_RECONNECTS, MAX_SENDS_IN_FLIGHT, Relay } from '../../src/relay/relay.js';
import { nestsWithin } from '../../src/protocol/nesting.js';
import { UNBATCHED_METHODS } from '../../src/protocol/page-api.js';
import { CHANNEL, type PageRequest, type PageResponse, type ToPageMessage } from '../../src/protocol/envelope.js';
import { FakeRuntimePort, FakeWindow, ORIGIN_A } from './fakes.js';

function setup() {
  const win = new FakeWindow(ORIGIN_A);
  const ports: FakeRuntimePort[] = [];
  const scheduled: { fn: () => void; ms: number }[] = [];
  const ticks: { fn: () => void; ms: number }[] = [];
  let connectError: Error | null = null;
  const relay = new Relay({
    win: win.asWindow(),
    connect: () => {
      if (connectError) throw connectError;
      const port = new FakeRuntimePort();
      ports.push(port);
      return port.asPort();
    },
    later: (fn, ms) => void scheduled.push({ fn, ms }),
    tick: (fn, ms) => void ticks.push({ fn, ms }),
  });
  /** Runs the scheduled answer-timeout sweep (one round); the delays it was scheduled with. */
  const runTick = (): number[] => {
    const round = ticks.splice(0);
    round.forEach((s) => s.fn());
    return round.map((s) => s.ms);
  };
  /** Runs the scheduled reconnects (one round). */
  const runLater = (): number[] => {
    const round = scheduled.splice(0);
    round.forEach((s) => s.fn());
    return round.map((s) => s.ms);
  };
  /** The page posts a batch, as the inpage provider does. */
  const fromPage = (requests: unknown[], over: Partial<{ source: unknown; origin: string; channel: unknown; dir: unknown }> = {}) =>
    win.dispatch({
      source: 'source' in over ? over.source : win,
      origin: over.origin ?? ORIGIN_A,
      data: { channel: 'channel' in over ? over.channel : CHANNEL, dir: 'dir' in over ? over.dir : 'to-keyhold', requests },
    });
  /** Every response delivered to the page so far. */
  const toPage = (): PageResponse[] => win.posted.flatMap((p) => (p.message as ToPageMessage).responses);
  const failConnect = (err: Error | null) => {
    connectError = err;
  };
  return { win, ports, scheduled, ticks, relay, runLater, runTick, fromPage, toPage, failConnect };
}

const req = (id: string, method = 'keyhold_listSessions'): PageRequest => ({ id, method });
const sentIds = (port: FakeRuntimePort | undefined): string[][] =>
  (port?.posted ?? []).map((m) => (m as { requests: PageRequest[] }).requests.map((r) => r.id));

describe('which window messages the relay accepts', () => {
  test('a message from this window, this origin, with the channel tag: forwarded', () => {
    const { ports, fromPage } = setup();
    fromPage([req('1')]);
    assert.equal(ports.length, 1);
    assert.deepEqual(sentIds(ports[0]), [['1']]);
  });

  const ignored: [string, (s: ReturnType<typeof setup>) => void][] = [
    ['another source (a cross-origin iframe)', (s) => s.fromPage([req('1')], { source: { postMessage() {} } })],
    ['no source', (s) => s.fromPage([req('1')], { source: null })],
    ['another origin', (s) => s.fromPage([req('1')], { origin: 'https://evil.example' })],
    ['the origin "null"', (s) => s.fromPage([req('1')], { origin: 'null' })],
    ['the origin with a trailing slash', (s) => s.fromPage([req('1')], { origin: `${ORIGIN_A}/` })],
    ['another channel tag', (s) => s.fromPage([req('1')], { channel: 'dev.keyhold/v2' })],
    ['no channel tag', (s) => s.fromPage([req('1')], { channel: undefined as unknown as string })],
    ["the relay's own outgoing direction", (s) => s.fromPage([req('1')], { dir: 'to-page' })],
    ['requests not an array', (s) => s.win.dispatch({ source: s.win, origin: ORIGIN_A, data: { channel: CHANNEL, dir: 'to-keyhold', requests: req('1') } })],
    ['data null', (s) => s.win.dispatch({ source: s.win, origin: ORIGIN_A, data: null })],
    ['data a string', (s) => s.win.dispatch({ source: s.win, origin: ORIGIN_A, data: CHANNEL })],
    ['an empty batch', (s) => s.fromPage([])],
    ['requests without a usable id', (s) => s.fromPage([{ method: 'x' }, { id: 1, method: 'x' }, { id: '', method: 'x' }, { id: 'x'.repeat(65), method: 'x' }, null])],
  ];
  for (const [name, send] of ignored) {
    test(`ignored: ${name} (no port is opened, nothing posted)`, () => {
      const s = setup();
      send(s);
      assert.equal(s.ports.length, 0);
      assert.equal(s.win.posted.length, 0);
    });
  }
});

describe('forwarding', () => {
  test('lazily connects: no port before the first request', () => {
    const { ports, fromPage } = setup();
    assert.equal(ports.length, 0);
    fromPage([req('1')]);
    assert.equal(ports.length, 1);
    fromPage([req('2')]);
    assert.equal(ports.length, 1, 'the port is reused');
  });

  test('a batch goes to the worker as one port message', () => {
    const { ports, fromPage } = setup();
    const batch = Array.from({ length: 100 }, (_, i) => ({ id: `r${i}`, method: 'keyhold_signRequest', params: [{ n: i }] }));
    fromPage(batch);
    assert.equal(ports[0]!.posted.length, 1);
    assert.deepEqual(ports[0]!.posted[0], { requests: batch });
  });

  test("worker responses go back to the page with targetOrigin = the page's origin", () => {
    const { ports, fromPage, win } = setup();
    fromPage([req('1'), req('2')]);
    ports[0]!.reply({ responses: [{ id: '1', result: 'one' }, { id: '2', error: { code: 4100, message: 'no' } }] });
    assert.equal(win.posted.length, 1);
    assert.equal(win.posted[0]!.targetOrigin, ORIGIN_A);
    assert.deepEqual(win.posted[0]!.message, {
      channel: CHANNEL,
      dir: 'to-page',
      responses: [{ id: '1', result: 'one' }, { id: '2', error: { code: 4100, message: 'no' } }],
    });
  });

  test('responses for unknown or already answered ids are dropped', () => {
    const { ports, fromPage, win, toPage } = setup();
    fromPage([req('1')]);
    ports[0]!.reply({ responses: [{ id: 'stranger', result: 1 }] });
    assert.equal(win.posted.length, 0);
    ports[0]!.reply({ responses: [{ id: '1', result: 1 }, { id: 'stranger', result: 2 }] });
    ports[0]!.reply({ responses: [{ id: '1', result: 'twice' }] });
    assert.deepEqual(toPage(), [{ id: '1', result: 1 }]);
  });

  test('a duplicate in-flight id is dropped; once answered the id may be reused', () => {
    const { ports, fromPage, toPage } = setup();
    fromPage([req('1', 'keyhold_signRequest'), req('1', 'keyhold_revokeSession')]);
    fromPage([req('1', 'keyhold_createSession')]);
    assert.deepEqual(sentIds(ports[0]), [['1']]);
    assert.equal((ports[0]!.posted[0] as { requests: PageRequest[] }).requests[0]!.method, 'keyhold_signRequest');
    ports[0]!.reply({ responses: [{ id: '1', result: 'ok' }] });
    assert.equal(toPage().length, 1);
    fromPage([req('1')]);
    assert.deepEqual(sentIds(ports[0]), [['1'], ['1']]);
  });

  test(`requests beyond MAX_IN_FLIGHT (${MAX_IN_FLIGHT}) get -32005 at once`, () => {
    const { ports, fromPage, toPage } = setup();
    fromPage(Array.from({ length: MAX_IN_FLIGHT - 1 }, (_, i) => req(`a${i}`)));
    fromPage([req('last'), req('over1'), req('over2')]);
    assert.deepEqual(sentIds(ports[0])[1], ['last']);
    const refused = toPage();
    assert.deepEqual(refused.map((r) => r.id), ['over1', 'over2']);
    for (const r of refused) assert.ok('error' in r && r.error.code === -32005);
    // Answering one frees a slot.
    ports[0]!.reply({ responses: [{ id: 'a0', result: null }] });
    fromPage([req('next')]);
    assert.deepEqual(sentIds(ports[0])[2], ['next']);
  });
});

describe('keyhold_send in flight (attack 8)', () => {
  test(`past MAX_SENDS_IN_FLIGHT (${MAX_SENDS_IN_FLIGHT}) keyhold_send gets -32005 at once and never reaches the worker; other methods still pass; an answer frees a slot`, () => {
    const { ports, fromPage, toPage } = setup();
    fromPage(Array.from({ length: MAX_SENDS_IN_FLIGHT + 5 }, (_, i) => req(`s${i}`, 'keyhold_send')));
    assert.equal(sentIds(ports[0])[0]!.length, MAX_SENDS_IN_FLIGHT);
    const refused = toPage();
    assert.equal(refused.length, 5);
    for (const r of refused) assert.ok('error' in r && r.error.code === -32005);
    fromPage([req('sign', 'keyhold_signRequest'), req('one-more', 'keyhold_send')]);
    assert.deepEqual(sentIds(ports[0])[1], ['sign']);
    ports[0]!.reply({ responses: [{ id: 's0', result: null }] });
    fromPage([req('after', 'keyhold_send')]);
    assert.deepEqual(sentIds(ports[0])[2], ['after']);
  });

  test('sends failed with 4900 after the worker stayed away free their slots', () => {
    const { ports, fromPage, runLater, failConnect } = setup();
    fromPage(Array.from({ length: MAX_SENDS_IN_FLIGHT }, (_, i) => req(`s${i}`, 'keyhold_send')));
    failConnect(new Error('gone'));
    ports[0]!.drop();
    for (let i = 0; i <= MAX_RECONNECTS; i++) runLater();
    failConnect(null);
    fromPage([req('fresh', 'keyhold_send')]);
    assert.deepEqual(sentIds(ports.at(-1)).at(-1), ['fresh']);
  });
});

describe('worker restarts', () => {
  test('on disconnect it reconnects and replays exactly the in-flight requests', () => {
    const { ports, fromPage, runLater, toPage } = setup();
    fromPage([req('1'), req('2'), req('3')]);
    ports[0]!.reply({ responses: [{ id: '2', result: 'two' }] });
    ports[0]!.drop();
    assert.equal(ports.length, 1, 'the reconnect is scheduled, not immediate');
    assert.deepEqual(runLater(), [0], 'the first reconnect has no delay');
    assert.equal(ports.length, 2);
    assert.deepEqual(sentIds(ports[1]), [['1', '3']]);
    ports[1]!.reply({ responses: [{ id: '1', result: 'one' }, { id: '3', result: 'three' }] });
    assert.deepEqual(toPage().map((r) => r.id), ['2', '1', '3']);
  });

  test('a disconnect with nothing in flight does not reconnect; the next request connects', () => {
    const { ports, fromPage, runLater, scheduled } = setup();
    fromPage([req('1')]);
    ports[0]!.reply({ responses: [{ id: '1', result: 1 }] });
    ports[0]!.drop();
    assert.equal(scheduled.length, 0);
    runLater();
    assert.equal(ports.length, 1);
    fromPage([req('2')]);
    assert.equal(ports.length, 2);
    assert.deepEqual(sentIds(ports[1]), [['2']]);
  });

  test('a request sent while the reconnect is pending: the new port carries it and the old in-flight ones', () => {
    const { ports, fromPage, runLater, toPage } = setup();
    fromPage([req('1'), req('2')]);
    ports[0]!.reply({ responses: [{ id: '2', result: 2 }] });
    ports[0]!.drop();
    fromPage([req('3')]); // arrives before the scheduled reconnect runs
    runLater();
    assert.equal(ports.length, 2, 'one new port');
    assert.deepEqual(sentIds(ports[1]).flat().sort(), ['1', '3'], 'each in-flight request exactly once');
    ports[1]!.reply({ responses: [{ id: '1', result: 1 }, { id: '3', result: 3 }] });
    assert.deepEqual(toPage().map((r) => r.id), ['2', '1', '3']);
  });

  test('a request sent during a backed-off reconnect also replays the old in-flight ones', () => {
    const { ports, fromPage, runLater, toPage } = setup();
    fromPage([req('1')]);
    ports[0]!.drop();
    runLater(); // reconnect 1 (no delay): port 1 gets the replay
    ports[1]!.drop(); // dies again: reconnect 2 is scheduled with a delay
    fromPage([req('2')]);
    runLater();
    const last = ports.at(-1)!;
    assert.deepEqual(sentIds(last).flat().sort(), ['1', '2']);
    last.reply({ responses: [{ id: '1', result: 1 }, { id: '2', result: 2 }] });
    assert.deepEqual(toPage().map((r) => r.id).sort(), ['1', '2']);
  });

  test(`after ${MAX_RECONNECTS} failed reconnects every in-flight request fails with 4900`, () => {
    const { ports, fromPage, runLater, toPage } = setup();
    fromPage([req('1'), req('2')]);
    const delays: number[] = [];
    for (let i = 0; i < MAX_RECONNECTS; i++) {
      ports.at(-1)!.drop();
      delays.push(...runLater());
      assert.equal(toPage().length, 0, `still waiting after reconnect ${i + 1}`);
      assert.deepEqual(sentIds(ports.at(-1)), [['1', '2']], 'each new port gets the replay');
    }
    assert.equal(ports.length, 1 + MAX_RECONNECTS);
    assert.ok(delays.every((d, i) => i === 0 || d > delays[i - 1]!), `backoff grows: ${delays}`);
    ports.at(-1)!.drop();
    const failed = toPage();
    assert.deepEqual(failed.map((r) => r.id), ['1', '2']);
    for (const r of failed) assert.ok('error' in r && r.error.code === 4900);
    runLater();
    assert.equal(ports.length, 1 + MAX_RECONNECTS, 'no further reconnects');
    // The page can try again later: a new request connects afresh.
    fromPage([req('3')]);
    assert.deepEqual(sentIds(ports.at(-1)), [['3']]);
  });

  test('an answer resets the reconnect budget', () => {
    const { ports, fromPage, runLater, toPage } = setup();
    fromPage([req('1'), req('2')]);
    for (let i = 0; i < MAX_RECONNECTS; i++) {
      ports.at(-1)!.drop();
      runLater();
    }
    ports.at(-1)!.reply({ responses: [{ id: '1', result: 1 }] });
    ports.at(-1)!.drop();
    runLater();
    assert.deepEqual(toPage().map((r) => r.id), ['1'], 'request 2 did not fail');
    assert.deepEqual(sentIds(ports.at(-1)), [['2']]);
  });

  test('connect() throwing on reconnect (extension reloaded): in-flight requests fail with 4900', () => {
    const { ports, fromPage, runLater, toPage, failConnect } = setup();
    fromPage([req('1'), req('2')]);
    ports[0]!.reply({ responses: [{ id: '1', result: 1 }] });
    ports[0]!.drop();
    failConnect(new Error('Extension context invalidated.'));
    runLater();
    const out = toPage();
    assert.deepEqual(out.map((r) => r.id), ['1', '2']);
    assert.ok('error' in out[1]! && out[1].error.code === 4900);
  });

  test('connect() throwing on the first request: it fails with 4900, not silently', () => {
    const { fromPage, runLater, toPage, failConnect } = setup();
    failConnect(new Error('Extension context invalidated.'));
    fromPage([req('1')]);
    runLater();
    const out = toPage();
    assert.deepEqual(out.map((r) => r.id), ['1']);
    assert.ok('error' in out[0]! && out[0].error.code === 4900);
  });

  test('postMessage throwing on a dead port: reconnect and replay', () => {
    const { ports, fromPage, runLater, toPage } = setup();
    fromPage([req('1')]);
    ports[0]!.throwOnPost = true;
    fromPage([req('2')]);
    runLater();
    assert.equal(ports.length, 2);
    assert.deepEqual(sentIds(ports[1]), [['1', '2']]);
    ports[1]!.reply({ responses: [{ id: '1', result: 1 }, { id: '2', result: 2 }] });
    assert.deepEqual(toPage().map((r) => r.id), ['1', '2']);
  });
});

describe('the answer timeout: a request the worker took and never answered', () => {
  test(`a signature unanswered after ${ANSWER_TIMEOUT_MS} ms (one to two sweeps) fails with 4900; the port stays`, () => {
    const { ports, fromPage, toPage, runTick, ticks } = setup();
    fromPage([req('1', 'keyhold_signRequest')]);
    assert.deepEqual(ticks.map((t) => t.ms), [ANSWER_TIMEOUT_MS]);
    assert.deepEqual(runTick(), [ANSWER_TIMEOUT_MS]); // first sweep: seen, not yet late
    assert.deepEqual(toPage(), []);
    fromPage([req('2', 'keyhold_signRequest')]); // sent between the sweeps: late only at the third
    runTick();
    assert.deepEqual(toPage().map((r) => [r.id, 'error' in r ? r.error.code : null]), [['1', 4900]]);
    runTick();
    assert.deepEqual(toPage().map((r) => r.id), ['1', '2']);
    assert.deepEqual(ticks, [], 'nothing timed is in flight: no sweep is scheduled');
    // A late answer is dropped; the id may be used again; the port was never dropped.
    ports[0]!.reply({ responses: [{ id: '1', result: 'late' }] });
    assert.equal(toPage().length, 2);
    fromPage([req('1', 'keyhold_signRequest')]);
    assert.equal(ports.length, 1);
    assert.deepEqual(sentIds(ports[0]), [['1'], ['2'], ['1']]);
  });

  test('an answer in time cancels it', () => {
    const { ports, fromPage, toPage, runTick, ticks } = setup();
    fromPage([req('1', 'keyhold_signRequest'), req('2', 'eth_chainId')]);
    runTick();
    ports[0]!.reply({ responses: [{ id: '1', result: 'ok' }, { id: '2', result: '0x1' }] });
    runTick();
    runTick();
    assert.deepEqual(toPage(), [{ id: '1', result: 'ok' }, { id: '2', result: '0x1' }]);
    assert.deepEqual(ticks, []);
  });

  for (const method of UNBATCHED_METHODS) {
    test(`${method} (waits on the user or a service) is never timed out`, () => {
      const { ports, fromPage, toPage, runTick, ticks } = setup();
      fromPage([req('1', method)]);
      assert.deepEqual(ticks, [], 'no sweep for it');
      fromPage([req('2', 'keyhold_listSessions')]);
      runTick();
      runTick();
      assert.deepEqual(toPage().map((r) => r.id), ['2']);
      ports[0]!.reply({ responses: [{ id: '1', result: 'approved after an hour' }] });
      assert.deepEqual(toPage().map((r) => r.id), ['2', '1']);
    });
  }
});

describe('what structured-clone messaging would carry but a worker cannot rebuild', () => {
  const deep = (levels: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = [v];
    return v;
  };

  test(`a request nesting deeper than ${MAX_NESTING} levels, or with a cycle, is refused -32602 at once and never reaches the worker; the rest of its batch goes on`, () => {
    const { ports, fromPage, toPage } = setup();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    fromPage([
      { id: 'deep', method: 'eth_chainId', params: [deep(1_500)] },
      { id: 'deep-elsewhere', method: 'wallet_switchEthereumChain', sender: deep(MAX_NESTING + 1) },
      { id: 'cycle', method: 'keyhold_signRequest', params: [cyclic] },
      { id: 'fine', method: 'keyhold_signRequest', params: [{ sessionId: 's', requestType: 1, body: new Uint8Array(100_000) }] },
      { id: 'just-fits', method: 'eth_chainId', params: deep(MAX_NESTING - 2) },
    ]);
    assert.deepEqual(sentIds(ports[0]), [['fine', 'just-fits']]);
    const refused = toPage();
    assert.deepEqual(refused.map((r) => r.id).sort(), ['cycle', 'deep', 'deep-elsewhere']);
    for (const r of refused) assert.equal('error' in r ? r.error.code : undefined, -32602);
  });

  test('nestsWithin counts bytes as one value and bounds how many values a request holds', () => {
    assert.equal(nestsWithin({ body: new Uint8Array(1 << 20) }, 4, 10), true);
    assert.equal(nestsWithin(Array.from({ length: 11 }, () => ({})), 4, 10), false);
    assert.equal(nestsWithin(Array.from({ length: 9 }, () => ({})), 4, 10), true);
    assert.equal(nestsWithin(MAX_NODES, 4, 10), true);
  });
});
