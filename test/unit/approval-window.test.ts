/**
 * The approval window's lifecycle (background/approvals/window.ts), including the race that
 * once rejected a request unseen: a new request arriving just as the window closes itself.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApprovalWindow, type WindowsApi } from '../../background/approvals/window.js';
import { MemoryArea } from './fakes.js';
import { assertArmed, NOT_ARMED_MESSAGE } from '../../background/approvals/arming.js';
import { APPROVE_ARM_MS } from '../../src/protocol/extension-rpc.js';
import { ProviderRpcError } from '../../src/protocol/errors.js';

class FakeWindows implements WindowsApi {
  next = 1;
  open = new Set<number>();
  log: string[] = [];
  async create() {
    const id = this.next++;
    this.open.add(id);
    this.log.push(`create ${id}`);
    return { id } as never;
  }
  async update(id: number) {
    if (!this.open.has(id)) throw new Error('No window with id');
    this.log.push(`focus ${id}`);
    return { id } as never;
  }
  async remove(id: number) {
    this.open.delete(id);
    this.log.push(`remove ${id}`);
  }
}

const make = () => {
  const windows = new FakeWindows();
  const area = Object.assign(new MemoryArea(), {}) as MemoryArea & { remove(key: string): Promise<void> };
  const raised: number[] = [];
  const clock = { now: 1_000 };
  const win = new ApprovalWindow(windows, area, 'chrome-extension://x/approval.html', () => raised.push(clock.now), () => clock.now);
  return { windows, win, raised, clock };
};

describe('the approval window', () => {
  test('one window: opened once, then focused', async () => {
    const { windows, win } = make();
    await win.show();
    await win.show();
    assert.deepEqual(windows.log, ['create 1', 'focus 1']);
  });

  test('bringing the open window forward is reported and stamped (attack 6); opening one is not', async () => {
    const { win, raised, clock } = make();
    await win.show();
    assert.deepEqual(raised, [], 'a new window arms by itself');
    assert.equal(win.raisedAt, -Infinity);
    clock.now = 2_000;
    await win.show();
    assert.deepEqual(raised, [2_000]);
    assert.equal(win.raisedAt, 2_000);
  });

  test('the worker refuses Approve within the arming time of a raise, and takes it after', () => {
    assert.throws(() => assertArmed(2_000, 2_000 + 140), (e: unknown) => e instanceof ProviderRpcError && e.code === -32602 && e.message === NOT_ARMED_MESSAGE);
    assert.throws(() => assertArmed(2_000, 2_000 + APPROVE_ARM_MS - 60));
    assert.doesNotThrow(() => assertArmed(2_000, 2_000 + APPROVE_ARM_MS));
    assert.doesNotThrow(() => assertArmed(-Infinity, 0));
  });

  test('a window closed by the user is recognised (so its approvals are rejected)', async () => {
    const { win } = make();
    await win.show();
    assert.equal(await win.closed(1), true);
    assert.equal(await win.closed(1), false, 'forgotten once closed');
  });

  test('closeIfIdle keeps the window while something waits', async () => {
    const { windows, win } = make();
    await win.show();
    assert.equal(await win.closeIfIdle(async () => true), false);
    assert.deepEqual(windows.log, ['create 1']);
  });

  test('closeIfIdle forgets the window before removing it: its removal rejects nothing', async () => {
    const { windows, win } = make();
    await win.show();
    assert.equal(await win.closeIfIdle(async () => false), true);
    assert.deepEqual(windows.log, ['create 1', 'remove 1']);
    assert.equal(await win.closed(1), false, 'the worker closed it: not a user rejection');
  });

  test('a request arriving as the window closes gets a new window, not the closing one', async () => {
    const { windows, win } = make();
    await win.show();
    const closing = win.closeIfIdle(async () => false);
    const showing = win.show();
    await Promise.all([closing, showing]);
    assert.deepEqual(windows.log, ['create 1', 'remove 1', 'create 2']);
    assert.ok(windows.open.has(2));
  });
});
