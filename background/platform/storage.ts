/**
 * `storage.session` as the worker uses it: memory only, trusted contexts only, kept across
 * worker restarts and gone with the browser. Whatever is read from it is validated by its
 * reader, as any stored record is.
 * @module
 */

/** The slice of a `storage.session` area the worker needs (tests pass `MemoryArea`). */
export interface StorageArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}
