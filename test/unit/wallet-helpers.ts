/**
 * Driving the wallet through the worker's request path in unit tests: ask a page method, read
 * its result or error, decide the next approval, a vault with the Hardhat phrase, a connected
 * site.
 * @module
 */
import assert from 'node:assert/strict';
import { decideApproval } from '../../background/approvals/decide.js';
import { answer } from '../../background/router/page-port.js';
import type { PageResponse } from '../../src/protocol/envelope.js';
import { ORIGIN_A, makeDeps, until, type TestDeps } from './fakes.js';

export const HARDHAT = 'test test test test test test test test test test test junk';
export const ACCOUNT = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
export const PASSWORD = 'correct horse battery';

let n = 0;
export const ask = (deps: TestDeps, method: string, params?: unknown, origin = ORIGIN_A): Promise<PageResponse> =>
  answer(deps, origin, params === undefined ? { id: `w${++n}`, method } : { id: `w${++n}`, method, params });

export function result<T>(r: PageResponse): T {
  if ('error' in r) throw new Error(`unexpected error ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

export function error(r: PageResponse, code: number, text?: string | RegExp): string {
  assert.ok('error' in r, `expected error ${code}, got ${JSON.stringify((r as { result: unknown }).result)}`);
  assert.equal(r.error.code, code, r.error.message);
  if (typeof text === 'string') assert.ok(r.error.message.includes(text), `"${r.error.message}" should include "${text}"`);
  if (text instanceof RegExp) assert.match(r.error.message, text);
  return r.error.message;
}

/** Waits for the next pending approval and decides it. */
export async function decideNext(deps: TestDeps, approve = true, acknowledged?: boolean) {
  await until(async () => (await deps.approvals.pending()).length > 0, 'a pending approval');
  const approval = (await deps.approvals.pending())[0]!;
  await decideApproval(deps, approval.id, approve, acknowledged === undefined ? {} : { acknowledged });
  return approval;
}

export async function withVault(): Promise<TestDeps> {
  const deps = await makeDeps();
  await deps.vault.create({ kind: 'mnemonic', mnemonic: HARDHAT, accounts: 1 }, PASSWORD);
  return deps;
}

export async function connected(): Promise<TestDeps> {
  const deps = await withVault();
  const pending = ask(deps, 'eth_requestAccounts');
  await decideNext(deps);
  assert.deepEqual(result(await pending), [ACCOUNT]);
  return deps;
}
