/**
 * Serves one page connection. Every request is validated here, where it enters the worker;
 * handlers receive typed params. Answers go back in batches: the non-interactive requests of
 * one incoming batch are answered together (a big batch in slices of {@link SLICE}, one task
 * each); those that wait on the user or a service each when ready.
 * @module
 */
import type { FromWorkerMessage, PageRequest, PageResponse, ToWorkerMessage } from '../../src/protocol/envelope.js';
import { ErrorCode, ProviderRpcError, invalidParams, serializeError } from '../../src/protocol/errors.js';
import { unsupportedPageMethod } from '../../src/protocol/wallet-api.js';
import { UNBATCHED_METHODS } from '../../src/protocol/page-api.js';
import { fieldsOf } from '../../src/protocol/fields.js';
import { isPageMethod, pageParamParsers } from '../../src/protocol/page-params.js';
import type { PageMethod } from '../../src/protocol/page-api.js';
import type { SigningDeps, WorkerDeps } from '../deps.js';
import { notStarted } from '../platform/readiness.js';
import { signRequest } from '../methods/sign-request.js';
import { inTasks } from '../platform/tasks.js';
import type { PageContext } from './page-context.js';
import type { PageFacts } from '../../src/protocol/extension-rpc.js';

const internalError = (message: string) => new ProviderRpcError(ErrorCode.Internal, message);

/** A port message with more requests than this is dropped whole (the relay never sends one). */
export const MAX_BATCH = 20_000;
/**
 * A port message with more requests than this is served in slices of it, each started in a task
 * of its own and answered as one message: the first answers leave while later requests are still
 * being signed, instead of every answer waiting for the last signature. Measured by `npm run
 * bench` (Firefox ESR, where WebCrypto signs off the main thread: 2,000 concurrent signatures
 * went from 3,527/s to 6,850/s at 128).
 */
export const SLICE = 128;
const MAX_ID_LENGTH = 64;
const MAX_METHOD_LENGTH = 128;

/** The slice of `runtime.Port` a page connection needs. */
export interface PortLike {
  postMessage(message: FromWorkerMessage): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

/**
 * Calls the handler of a method other than `keyhold_signRequest`, on the whole worker. The
 * handler table loads with the rest of the worker, by `import()` (see `index.ts`).
 * @throws ProviderRpcError 4900 when the rest of the worker could not start.
 */
async function handleOnFullWorker(deps: SigningDeps, method: PageMethod, params: unknown, ctx: PageContext): Promise<unknown> {
  const [full, { pageHandlers }] = await Promise.all([deps.full().catch(() => Promise.reject(notStarted())), import('../methods/index.js')]);
  const handler = pageHandlers[method] as (d: WorkerDeps, p: unknown, c: PageContext) => Promise<unknown>;
  return handler(full, params, ctx);
}

/**
 * Answers one request; never throws (failures become error responses). `keyhold_signRequest`,
 * the hot path, is answered on the signing deps alone, so after a cold start it waits on no
 * other code; every other method on the whole worker.
 */
export async function answer(deps: SigningDeps, origin: string, request: PageRequest, page?: PageFacts, answerAlone?: () => void): Promise<PageResponse> {
  const { id } = request;
  try {
    const { method } = request;
    if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
      throw invalidParams('method must be a non-empty string.');
    }
    if (!isPageMethod(method)) throw unsupportedPageMethod(method);
    const ctx: PageContext = page === undefined ? { origin, requestId: id } : { origin, requestId: id, page };
    if (answerAlone) ctx.answerAlone = answerAlone;
    if (method === 'keyhold_signRequest') return { id, result: await signRequest(deps, pageParamParsers[method](request.params), ctx) };
    return { id, result: await handleOnFullWorker(deps, method, pageParamParsers[method](request.params), ctx) };
  } catch (err) {
    return { id, error: serializeError(err) };
  }
}

/** 4900 for every request with an id, after the worker failed to start. */
function notStartedAnswers(requests: unknown[]): PageResponse[] {
  const error = notStarted().toJSON();
  return requests.filter(isRequest).map(({ id }) => ({ id, error }));
}

/** A request with a usable id (the rest is checked by `answer`, which answers every failure). */
function isRequest(r: unknown): r is PageRequest {
  if (typeof r !== 'object' || r === null) return false;
  const { id } = fieldsOf<PageRequest>(r);
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH;
}

/**
 * Attaches to a page port synchronously (so no early message is lost) and serves it once the
 * signing deps are ready (methods other than `keyhold_signRequest` then wait for the whole
 * worker, see `answer`). `page`: the tab's title and icon as the browser gave them at
 * connection. `ready` is asked once per message, so a start that failed is tried again by the
 * next one; the requests that waited on the failed start are answered 4900.
 */
export function servePagePort(port: PortLike, origin: string, ready: Promise<SigningDeps> | (() => Promise<SigningDeps>), page?: PageFacts): void {
  let open = true;
  port.onDisconnect.addListener(() => { open = false; });
  const post = (responses: PageResponse[]): boolean => {
    try {
      port.postMessage({ responses });
      return true;
    } catch {
      return false;
    }
  };
  const send = (responses: PageResponse[]) => {
    if (!open || responses.length === 0 || post(responses)) return;
    // Either the page went away, or one answer is more than the port can carry (the JSON
    // serialiser of Chromium before 148). One answer must not silence the page: send the others, and -32603 for it.
    for (const r of responses) {
      if (post([r])) continue;
      if (!post([{ id: r.id, error: internalError('Keyhold could not deliver this answer to the page.').toJSON() }])) {
        open = false; // The page went away; its relay replays if it still cares.
        return;
      }
    }
  };
  port.onMessage.addListener((message) => {
    const requests = typeof message === 'object' && message !== null ? fieldsOf<ToWorkerMessage>(message).requests : undefined;
    if (!Array.isArray(requests) || requests.length > MAX_BATCH) return;
    void (typeof ready === 'function' ? ready() : ready).then((deps) => {
      const slices: unknown[][] = [];
      for (let i = 0; i < requests.length; i += SLICE) slices.push(requests.slice(i, i + SLICE));
      inTasks(slices.map((slice) => () => serveBatch(deps, origin, slice, send, page)));
    }, () => send(notStartedAnswers(requests)));
  });
}

/**
 * Answers one batch: its non-interactive requests together, in request order, once all are
 * done; one that leaves the batch (it waits on the user: PageContext.answerAlone) or waits on a
 * service (`UNBATCHED_METHODS`) keeps no slot and is sent on its own when ready.
 */
function serveBatch(deps: SigningDeps, origin: string, requests: unknown[], send: (responses: PageResponse[]) => void, page?: PageFacts): void {
  const batch: Array<PageResponse | undefined> = [];
  // Answers still owed to the batch, plus one until every request has started.
  let owed = 1;
  const settled = () => {
    if (--owed === 0) send(batch.filter((r): r is PageResponse => r !== undefined));
  };
  for (const request of requests) {
    if (!isRequest(request)) continue; // No id: nobody to answer.
    if (UNBATCHED_METHODS.has(request.method)) {
      void answer(deps, origin, request, page).then((r) => send([r]));
      continue;
    }
    const slot = batch.push(undefined) - 1;
    let state: 'batched' | 'alone' | 'answered' = 'batched';
    owed++;
    const leave = () => {
      if (state !== 'batched') return;
      state = 'alone';
      settled();
    };
    void answer(deps, origin, request, page, leave).then((r) => {
      if (state === 'alone') return send([r]);
      state = 'answered';
      batch[slot] = r;
      settled();
    });
  }
  settled();
}
