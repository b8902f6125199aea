/**
 * The typed client of the extension-page RPC: the popup and the approval window call the
 * worker only through {@link call}, so a wrong method or params shape fails to compile.
 * @module
 */
import browser from 'webextension-polyfill';
import { deserializeError, disconnected, ErrorCode, ProviderRpcError } from '../src/protocol/errors.js';
import {
  RPC_CHANNEL,
  type ExtensionMethod,
  type ExtensionMethods,
  type RpcRequest,
  type RpcResponse,
} from '../src/protocol/extension-rpc.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Checks the envelope only; the worker is trusted to fill `result` with the declared type. */
function asResponse<M extends ExtensionMethod>(v: unknown): RpcResponse<M> | undefined {
  if (!isRecord(v)) return undefined;
  if (v.ok === true && 'result' in v) return v as RpcResponse<M>;
  const e = v.error;
  if (v.ok === false && isRecord(e) && typeof e.code === 'number' && typeof e.message === 'string') {
    return v as RpcResponse<M>;
  }
  return undefined;
}

/**
 * Calls one worker method and returns its result.
 * @throws {ProviderRpcError} the worker's error, rebuilt; code 4900 when the worker cannot be
 *   reached; -32603 when its answer is malformed.
 */
export async function call<M extends ExtensionMethod>(
  method: M,
  params: ExtensionMethods[M]['params'],
): Promise<ExtensionMethods[M]['result']> {
  const request: RpcRequest<M> = { channel: RPC_CHANNEL, method, params };
  let raw: unknown;
  try {
    raw = await browser.runtime.sendMessage(request);
  } catch (cause) {
    const err = disconnected();
    throw new ProviderRpcError(err.code, err.message, undefined, { cause });
  }
  const response = asResponse<M>(raw);
  if (response === undefined) {
    throw new ProviderRpcError(ErrorCode.Internal, `Keyhold answered "${method}" with a malformed response.`);
  }
  if (!response.ok) throw deserializeError(response.error);
  return response.result;
}
