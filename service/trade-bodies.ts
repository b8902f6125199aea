/**
 * The JSON bodies of the reference service's trading request types: PlaceOrder (1) and
 * Withdraw (2). The signed body bytes are UTF-8 JSON objects with exactly the members below.
 * @module
 */
import { VerifyError, parseJsonObject } from '../packages/verify/src/index.js';
import { badRequest } from './errors.js';

export interface Order {
  side: 'buy' | 'sell';
  qty: number;
  symbol?: string;
  subaccount?: number;
}

export interface Withdrawal {
  asset: string;
  amount: number;
  subaccount?: number;
}

const U32_MAX = 0xffffffff;

function jsonBody(body: Uint8Array, what: string): Record<string, unknown> {
  try {
    return parseJsonObject(body);
  } catch (e) {
    if (e instanceof VerifyError) throw badRequest('bad_body', `${what} body must be a UTF-8 JSON object`);
    throw e;
  }
}

function onlyMembers(o: Record<string, unknown>, allowed: string[], what: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) throw badRequest('bad_body', `${what} body member "${key}" is not allowed`);
  }
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const subaccount = (v: unknown): v is number | undefined =>
  v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= U32_MAX);

/**
 * Parses a PlaceOrder body: `{side: 'buy'|'sell', qty: number > 0, symbol?: string,
 * subaccount?: u32}`.
 * @throws ServiceError 400 `bad_body`
 */
export function parseOrder(body: Uint8Array): Order {
  const o = jsonBody(body, 'order');
  onlyMembers(o, ['side', 'qty', 'symbol', 'subaccount'], 'order');
  const { side, qty, symbol, subaccount: sub } = o;
  if (side !== 'buy' && side !== 'sell') throw badRequest('bad_body', `order "side" must be 'buy' or 'sell'`);
  if (!positive(qty)) throw badRequest('bad_body', 'order "qty" must be a positive number');
  if (symbol !== undefined && typeof symbol !== 'string') throw badRequest('bad_body', 'order "symbol" must be a string');
  if (!subaccount(sub)) throw badRequest('bad_body', 'order "subaccount" must be an integer 0..2^32-1');
  return { side, qty, ...(symbol === undefined ? {} : { symbol }), ...(sub === undefined ? {} : { subaccount: sub }) };
}

/**
 * Parses a Withdraw body: `{asset: string, amount: number > 0, subaccount?: u32}`.
 * @throws ServiceError 400 `bad_body`
 */
export function parseWithdrawal(body: Uint8Array): Withdrawal {
  const o = jsonBody(body, 'withdrawal');
  onlyMembers(o, ['asset', 'amount', 'subaccount'], 'withdrawal');
  const { asset, amount, subaccount: sub } = o;
  if (typeof asset !== 'string' || asset === '') throw badRequest('bad_body', 'withdrawal "asset" must be a non-empty string');
  if (!positive(amount)) throw badRequest('bad_body', 'withdrawal "amount" must be a positive number');
  if (!subaccount(sub)) throw badRequest('bad_body', 'withdrawal "subaccount" must be an integer 0..2^32-1');
  return { asset, amount, ...(sub === undefined ? {} : { subaccount: sub }) };
}
