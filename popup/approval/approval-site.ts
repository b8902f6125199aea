/**
 * Who asks, as the worker handed it with the request (`ApprovalView.site`): the verified
 * registrable domain, and the page's own title and icon. Provided by the approval window to
 * `RequestOrigin`, which leads every request with it.
 * @module
 */
import { createContext } from 'preact';
import type { SiteView } from '../../src/protocol/extension-rpc.js';

export const ApprovalSite = createContext<SiteView | undefined>(undefined);
