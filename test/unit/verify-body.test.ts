/**
 * `@keyhold/verify`'s one body reader (`packages/verify/src/body.ts`) and both adapters over it:
 * a body within the limit is read whole, in order; one byte more is 413 `body_too_large` and
 * the source is released (the Fetch stream cancelled, the Node request's iteration ended), for
 * a chunked body that declares no length.
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { VerifyError, keyholdMiddleware, readRequestBody, Verifier, type NodeRequestLike, type NodeResponseLike } from '../../packages/verify/src/index.js';
import { collectBody } from '../../packages/verify/src/body.js';

const chunks = (sizes: number[]): Uint8Array[] => sizes.map((n, i) => new Uint8Array(n).fill(i + 1));
const source = (parts: Uint8Array[]) => {
  let i = 0;
  return async (): Promise<Uint8Array | null> => parts[i++] ?? null;
};
const tooLarge = (e: unknown): boolean => e instanceof VerifyError && e.status === 413 && e.code === 'body_too_large';

describe('collectBody', () => {
  test('concatenates the chunks in order, up to exactly the limit', async () => {
    const body = await collectBody(source(chunks([3, 0, 2, 5])), 10);
    assert.deepEqual([...body], [1, 1, 1, 3, 3, 4, 4, 4, 4, 4]);
    assert.equal((await collectBody(source([]), 0)).length, 0);
  });

  test('one byte over the limit is 413, after releasing the source once, and reads no further', async () => {
    let stopped = 0;
    let reads = 0;
    const next = source(chunks([4, 4, 3, 100]));
    const counted = async () => {
      reads++;
      return next();
    };
    await assert.rejects(collectBody(counted, 10, async () => void stopped++), tooLarge);
    assert.equal(stopped, 1);
    assert.equal(reads, 3);
  });
});

describe('the adapters read through it', () => {
  test('Fetch: a stream over the limit (no content-length) is 413 and the stream is cancelled', async () => {
    let cancelled = false;
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(1000));
      },
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request('https://api.example/orders', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    await assert.rejects(readRequestBody(request, 2500), tooLarge);
    assert.equal(cancelled, true);
    assert.ok(pulls <= 5, `stopped reading at the limit (${pulls} pulls)`);
    const whole = new Request('https://api.example/orders', { method: 'POST', body: new Uint8Array(2500).fill(7) });
    assert.deepEqual(await readRequestBody(whole, 2500), new Uint8Array(2500).fill(7));
  });

  test('Node: a chunked request over the limit is 413 and its iteration is ended; within it, it verifies as usual', async () => {
    const verifier = new Verifier({ maxBodyBytes: 2500 });
    const mw = keyholdMiddleware(verifier, { requestType: 1 });
    const answer = { statusCode: 0, body: '', headersSent: false } as NodeResponseLike & { body: string };
    answer.setHeader = () => undefined;
    answer.end = (b?: string) => (answer.body = b ?? '');
    let destroyed = false;
    const stream = Readable.from((function* () {
      for (let i = 0; i < 10; i++) yield Buffer.alloc(1000, 1);
    })());
    stream.on('close', () => (destroyed = true));
    const req = Object.assign(stream, { headers: { 'content-type': 'application/json' } }) as unknown as NodeRequestLike;
    await new Promise<void>((resolve, reject) => {
      mw(req, answer, (err) => (err ? reject(err) : reject(new Error('a body over the limit went on'))));
      const wait = setInterval(() => {
        if (answer.statusCode !== 0) {
          clearInterval(wait);
          resolve();
        }
      }, 5);
    });
    assert.equal(answer.statusCode, 413);
    assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'body_too_large');
    await new Promise((r) => setImmediate(r));
    assert.equal(destroyed, true, 'the request stream was released');
  });
});
