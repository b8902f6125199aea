/**
 * Validators for the extension-page RPC: raw params in, typed params out, -32602 naming the
 * field. One parser per method of `ExtensionMethods` (the vault's from `vault/rpc-params.ts`),
 * as `src/protocol/page-params.ts` is for the page API; a method not in this table is
 * unsupported (4200).
 * @module
 */
import { aint, aobject } from '../../src/protocol/assert.js';
import { parseAddressList } from '../../src/protocol/address.js';
import { invalidParams } from '../../src/protocol/errors.js';
import type { ExtensionMethod, ExtensionMethods } from '../../src/protocol/extension-rpc.js';
import { parseServiceOrigin } from '../../src/protocol/service-origin.js';
import { isUuidString } from '../../src/wire/uuidv7.js';
import type { DecideOptions } from '../approvals/types.js';
import { MAX_ENTRIES } from '../audit/log.js';
import { MAX_ACCOUNTS } from '../vault/secret.js';
import { noParams, objectParams, siteOrigin, vaultParamParsers, type VaultParams } from '../vault/rpc-params.js';

/** Params as the handlers take them, where they differ from those declared in `ExtensionMethods`. */
interface Parsed {
  /** The decision, and what the user said besides it (`policy` is read by the action, against what was asked). */
  approval_decide: { approvalId: string; approve: boolean } & DecideOptions;
}

/** The params each handler is given: as declared, or as {@link Parsed} says. */
export type ExtensionParams = {
  [M in ExtensionMethod]: M extends keyof Parsed ? Parsed[M] : M extends keyof VaultParams ? VaultParams[M] : ExtensionMethods[M]['params'];
};

type Parsers = { [M in ExtensionMethod]: (params: unknown) => ExtensionParams[M] };

function uuid(value: unknown, field: string): string {
  if (!isUuidString(value)) throw invalidParams(`${field} must be a UUID string.`);
  return value.toLowerCase();
}

const sessionId = (method: string) => objectParams(method, ['sessionId'], (o) => ({ sessionId: uuid(o.sessionId, 'sessionId') }));

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw invalidParams(`${field} must be a boolean.`);
  return value;
}

/** One parser per extension method. */
export const extensionParamParsers: Parsers = {
  approval_list: noParams('approval_list'),
  approval_decide: objectParams('approval_decide', ['approvalId', 'approve', 'acknowledged', 'accounts', 'policy'], (o) => {
    if (typeof o.approve !== 'boolean') throw invalidParams('approve must be a boolean.');
    const decision: ExtensionParams['approval_decide'] = { approvalId: uuid(o.approvalId, 'approvalId'), approve: o.approve };
    const acknowledged = optionalBoolean(o.acknowledged, 'acknowledged');
    if (acknowledged !== undefined) decision.acknowledged = acknowledged;
    if (o.accounts !== undefined) decision.accounts = parseAddressList(o.accounts, 'accounts', MAX_ACCOUNTS);
    if (o.policy !== undefined) decision.policy = o.policy;
    return decision;
  }),
  approval_windowIdle: noParams('approval_windowIdle'),
  session_listAll: noParams('session_listAll'),
  session_revoke: sessionId('session_revoke'),
  session_pause: sessionId('session_pause'),
  session_resume: sessionId('session_resume'),
  session_revokeSite(params) {
    return { origin: siteOrigin(aobject(params, 'session_revokeSite params', ['origin']).origin) };
  },
  session_revokeAll: noParams('session_revokeAll'),
  service_known: noParams('service_known'),
  // The same rule as a page's `service.baseUrl`: https, or http on loopback; an origin only.
  service_listSessions: objectParams('service_listSessions', ['baseUrl'], (o) => ({ baseUrl: parseServiceOrigin(o.baseUrl, 'baseUrl') })),
  service_revokeSession: objectParams('service_revokeSession', ['baseUrl', 'sessionId'], (o) => ({ baseUrl: parseServiceOrigin(o.baseUrl, 'baseUrl'), sessionId: uuid(o.sessionId, 'sessionId') })),
  activity_list: objectParams('activity_list', ['limit'], (o) => (o.limit === undefined ? {} : { limit: aint(o.limit, 'limit', 1, MAX_ENTRIES) }), { optional: true }),
  revocation_list: noParams('revocation_list'),
  storage_status(params) {
    const recheck = optionalBoolean(aobject(params ?? {}, 'storage_status params', ['recheck']).recheck, 'recheck');
    return recheck === undefined ? {} : { recheck };
  },
  ...vaultParamParsers,
};

export const isExtensionMethod = (method: unknown): method is ExtensionMethod =>
  typeof method === 'string' && Object.prototype.hasOwnProperty.call(extensionParamParsers, method);
