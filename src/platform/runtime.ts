/**
 * The native `runtime` namespace of whichever browser this is. Ports are event-based, not
 * promise-based, so the hot path of the relay talks to them directly instead of through
 * webextension-polyfill's proxy; everything promise-based still goes through the polyfill.
 * @module
 */
import type { Runtime } from 'webextension-polyfill';

type Namespace = { runtime: Pick<Runtime.Static, 'connect' | 'id'> };
const g = globalThis as unknown as { browser?: Namespace; chrome?: Namespace };

/** Firefox exposes `browser`, Chromium `chrome`; both have the same port API. */
export const nativeRuntime = (): Namespace['runtime'] => (g.browser ?? g.chrome)!.runtime;
