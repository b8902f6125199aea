/**
 * Which runtime messages are extension-page RPC requests, and the answer to one from anyone but
 * Keyhold's own pages. Apart from the RPC's handlers (`extension-rpc.ts`), so the worker's
 * first script can sort messages without loading them (`index.ts`).
 * @module
 */
import { fieldsOf } from '../../src/protocol/fields.js';
import { ProviderRpcError, ErrorCode } from '../../src/protocol/errors.js';
import { RPC_CHANNEL, type EventMessage, type RpcResponse } from '../../src/protocol/extension-rpc.js';

/** The answer to an RPC message from anyone but Keyhold's own pages. */
export const refusedRpc = (): RpcResponse => ({
  ok: false,
  error: new ProviderRpcError(ErrorCode.UnsupportedMethod, "Only Keyhold's own pages may call this.").toJSON(),
});

/** A request on the RPC channel (an event on it is the worker's own broadcast, not a request). */
export const isRpcMessage = (m: unknown): boolean =>
  typeof m === 'object' && m !== null && fieldsOf<EventMessage>(m).channel === RPC_CHANNEL && fieldsOf<EventMessage>(m).event === undefined;
