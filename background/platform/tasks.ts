/**
 * Runs jobs one per task: the first at once, each next one in a task of its own, so whatever
 * the previous job queued (a WebCrypto result, a port message out) runs in between. A
 * `MessageChannel` posts the tasks: unlike a chain of `setTimeout(…, 0)`, which browsers clamp
 * to 4 ms from the fifth nested call, it adds no delay. The channel is closed after the last job.
 * @module
 */
export function inTasks(jobs: ReadonlyArray<() => void>): void {
  const [first, ...rest] = jobs;
  first?.();
  if (rest.length === 0) return;
  const { port1, port2 } = new MessageChannel();
  let next = 0;
  port1.onmessage = () => {
    const job = rest[next++]!;
    if (next < rest.length) port2.postMessage(null);
    else port1.close();
    job();
  };
  port2.postMessage(null);
}
