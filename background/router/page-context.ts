/**
 * What a page handler knows about its caller: decided by the browser, never by the payload.
 * @module
 */
import type { PageFacts } from '../../src/protocol/extension-rpc.js';

export interface PageContext {
  /** The page's origin, from `port.sender`. */
  origin: string;
  /** The page's own id for this request (unique within the page); used to recognise replays. */
  requestId: string;
  /** The page's title and icon as the browser gave them when the page connected (its own words). */
  page?: PageFacts;
  /**
   * For a request answered with its batch: the handler calls this when its answer will wait on
   * the user (a `confirmTypes` signature), and the router then answers it on its own, so the
   * rest of the batch is not held back until the click.
   */
  answerAlone?: () => void;
}
