/**
 * HTTP calls to a service: JSON in, JSON (or text) out, bounded in time and size. A service's
 * answer is input like any other: it is size-capped, parsed defensively, and never echoed into
 * an error with anything secret in it.
 * @module
 */
import { nestsWithin } from '../../src/protocol/nesting.js';

/** What a service answered. `body` is its JSON, or its text when the body is not JSON. */
export interface HttpAnswer {
  status: number;
  body: unknown;
}

export interface HttpClient {
  /** @throws ServiceUnreachable when the service cannot be reached, times out or answers too much. */
  post(url: string, json: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
}

/** The service could not be reached, or its answer was unusable. Internal; callers map it. */
export class ServiceUnreachable extends Error {
  constructor(readonly reason: 'network' | 'timeout' | 'too-large') {
    super(`service ${reason}`);
    this.name = 'ServiceUnreachable';
  }
}

export const SERVICE_TIMEOUT_MS = 15_000;
export const MAX_ANSWER_BYTES = 1 << 20;
/**
 * Deepest JSON answer kept as JSON. A page gets `keyhold_send`'s answer over a port, whose
 * serialiser recurses: a service's 100,000-deep `[[[…]]]` made posting the answer throw, and the
 * worker then stopped answering that page at all. Deeper answers are kept as their text.
 */
export const MAX_ANSWER_DEPTH = 64;

/**
 * Reads at most `maxBytes` of a response's body: the bytes, or null (and the body cancelled) when
 * there are more. Every answer Keyhold reads from a service goes through here.
 */
export async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array | null> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      // Not awaited: a stream that never ends may never settle its cancel either.
      reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) all.set(c, (at += c.length) - c.length);
  return all;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const bytes = await readAtMost(response, maxBytes);
  if (bytes === null) throw new ServiceUnreachable('too-large');
  return new TextDecoder().decode(bytes);
}

/** An {@link HttpClient} over `fetch`. */
export function fetchClient(
  fetchFn: typeof fetch = (...args) => fetch(...args),
  opts: { timeoutMs?: number; maxBytes?: number } = {},
): HttpClient {
  const timeoutMs = opts.timeoutMs ?? SERVICE_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? MAX_ANSWER_BYTES;
  return {
    async post(url, json, headers = {}) {
      // A timer this call holds, not AbortSignal.timeout(): an engine may collect a timeout
      // signal nothing else references while the body is still being read (Node does), and the
      // abort then never comes. The call also races the timer itself: an abort that a fetch or a
      // body read fails to honour (seen in Node under load, about once in 10 runs of the
      // hostile-service tests) still ends the call on time.
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new DOMException('The service took too long.', 'TimeoutError'));
          reject(new ServiceUnreachable('timeout'));
        }, timeoutMs);
      });
      const exchange = async (): Promise<{ response: Response; text: string }> => {
        const response = await fetchFn(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(json),
          credentials: 'omit',
          redirect: 'error',
          signal: controller.signal,
        });
        return { response, text: await readCapped(response, maxBytes) };
      };
      const work = exchange();
      // Whichever side loses the race must not surface as an unhandled rejection.
      work.catch(() => undefined);
      deadline.catch(() => undefined);
      let response: Response;
      let text: string;
      try {
        ({ response, text } = await Promise.race([work, deadline]));
      } catch (err) {
        if (err instanceof ServiceUnreachable) throw err;
        throw new ServiceUnreachable(controller.signal.aborted || (err as Error)?.name === 'TimeoutError' ? 'timeout' : 'network');
      } finally {
        clearTimeout(timer);
      }
      let body: unknown = text;
      try {
        const parsed: unknown = JSON.parse(text);
        if (nestsWithin(parsed, MAX_ANSWER_DEPTH, Number.POSITIVE_INFINITY)) body = parsed;
      } catch {
        // Not JSON: the text is the answer.
      }
      return { status: response.status, body };
    },
  };
}

/**
 * The member at `path` of a JSON answer (`member(body, 'error', 'code')`), or undefined where the
 * answer does not have it (not an object there, or no such own member). A service's answer is
 * input: it is read through this, never cast to the shape it should have.
 */
export function member(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key)) return undefined;
    at = Reflect.get(at, key);
  }
  return at;
}

/** A short, safe description of a service's error answer for a message: its own message, capped. */
export function serviceMessage(answer: HttpAnswer): string {
  const b = answer.body;
  const said = [member(b, 'error', 'message'), member(b, 'message'), member(b, 'error'), b];
  const text = said.find((t): t is string => typeof t === 'string' && t !== '') ?? '';
  const clean = text.replace(/[\p{Cc}]/gu, ' ').slice(0, 200);
  return clean ? `HTTP ${answer.status}: ${clean}` : `HTTP ${answer.status}`;
}
