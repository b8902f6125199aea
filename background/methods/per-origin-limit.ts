/**
 * A bound on how many calls of one page method each origin may have in flight. Past it the
 * call fails at once with -32005, before its handler runs (so nothing is signed or sent). Used
 * for `keyhold_send`, whose calls wait on a service that may never answer.
 * @module
 */
import { limitExceeded } from '../../src/protocol/errors.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';

type Handler<P, R> = (deps: WorkerDeps, params: P, ctx: PageContext) => Promise<R>;

/** `handler`, refusing an origin's call while `max` of its calls are still running. */
export function limitPerOrigin<P, R>(handler: Handler<P, R>, max: number, method: string): Handler<P, R> {
  const running = new Map<string, number>();
  return async (deps, params, ctx) => {
    const n = running.get(ctx.origin) ?? 0;
    if (n >= max) throw limitExceeded(`This site already has ${max} ${method} requests in flight; wait for their answers.`);
    running.set(ctx.origin, n + 1);
    try {
      return await handler(deps, params, ctx);
    } finally {
      const left = (running.get(ctx.origin) ?? 1) - 1;
      if (left > 0) running.set(ctx.origin, left);
      else running.delete(ctx.origin);
    }
  };
}
