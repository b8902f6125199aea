/**
 * The host splits the worker computed for the request on show (`ApprovalView.hosts`), handed
 * down to every `OriginName` in the approval window. The Public Suffix List stays in the
 * worker; outside the approval window there is no split and origins show whole.
 * @module
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { HostSplit } from '../src/protocol/extension-rpc.js';

export const HostSplits = createContext<Readonly<Record<string, HostSplit>> | undefined>(undefined);

/** The worker's split of `host`, if the window was given one that fits it. */
export function useHostSplit(host: string): HostSplit | undefined {
  const splits = useContext(HostSplits);
  const parts = splits && Object.prototype.hasOwnProperty.call(splits, host) ? splits[host] : undefined;
  // Shown only if it reads back as the very host: the split may set text apart, never change it.
  return parts && parts.subdomain + parts.domain === host.toLowerCase() ? parts : undefined;
}
