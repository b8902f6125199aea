/**
 * The approval window: one popup window shows the whole queue. A new request focuses it if it
 * is open, or opens it; its id lives in `storage.session` so a restarted worker still knows it.
 * Bringing an open window forward is a moment a click meant for something else can land on
 * Approve: it is reported (`onRaised`), so the window re-arms and the worker refuses an
 * approval that comes too soon after it.
 * @module
 */
import type { Windows } from 'webextension-polyfill';
import { SerialLock } from '../platform/serial.js';
import type { StorageArea } from '../platform/storage.js';

const KEY = 'approvalWindowId';
const SIZE = { width: 400, height: 640 };

export interface WindowsApi {
  create(data: Windows.CreateCreateDataType): Promise<Windows.Window>;
  update(id: number, info: Windows.UpdateUpdateInfoType): Promise<Windows.Window>;
  remove(id: number): Promise<void>;
}

export class ApprovalWindow {
  readonly #lock = new SerialLock();
  #raisedAt = -Infinity;

  constructor(
    private readonly windows: WindowsApi,
    private readonly area: StorageArea,
    private readonly url: string,
    /** Called each time an open window is brought forward (not when one is opened). */
    private readonly onRaised: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** When this worker last brought the open window forward (ms; -Infinity if never). */
  get raisedAt(): number {
    return this.#raisedAt;
  }

  /** Brings the approval window to the front, opening it if needed. */
  show(): Promise<void> {
    return this.#lock.run(async () => {
      const id = (await this.area.get(KEY))[KEY];
      if (typeof id === 'number') {
        try {
          // Stamped before the window moves: no click can reach it raised and not yet stamped.
          this.#raisedAt = this.now();
          await this.windows.update(id, { focused: true, drawAttention: true });
          this.onRaised();
          return;
        } catch {
          // It was closed while we were not looking.
        }
      }
      const win = await this.windows.create({ url: this.url, type: 'popup', focused: true, ...SIZE });
      if (win.id !== undefined) await this.area.set({ [KEY]: win.id });
    });
  }

  /**
   * Closes the window if nothing waits. Runs under the same lock as {@link show}, and forgets the
   * window before removing it: a request queued meanwhile opens a new window instead of
   * focusing one that is closing (whose removal would reject it unseen).
   */
  closeIfIdle(hasPending: () => Promise<boolean>): Promise<boolean> {
    return this.#lock.run(async () => {
      if (await hasPending()) return false;
      const id = (await this.area.get(KEY))[KEY];
      await this.area.remove(KEY);
      // Already gone (the user closed it meanwhile): nothing to log.
      if (typeof id === 'number') await this.windows.remove(id).catch(() => undefined);
      return true;
    });
  }

  /** Whether `windowId` was the approval window; if so, forgets it. */
  async closed(windowId: number): Promise<boolean> {
    const id = (await this.area.get(KEY))[KEY];
    if (id !== windowId) return false;
    await this.area.remove(KEY);
    return true;
  }
}
