/**
 * Entry of the content-script relay (isolated world): wiring only.
 * @module
 */
import { nativeRuntime } from '../platform/runtime.js';
import { PAGE_PORT } from '../protocol/envelope.js';
import { Relay } from './relay.js';

new Relay({
  win: window,
  connect: () => nativeRuntime().connect({ name: PAGE_PORT }),
  later: (fn, ms) => setTimeout(fn, ms),
  tick: (fn, ms) => setTimeout(fn, ms),
});
