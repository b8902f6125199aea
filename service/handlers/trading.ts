/**
 * The reference service's trading endpoints, signed by session keys with their device key:
 * `POST /api/v1/orders` (PlaceOrder, 1; any role) and `POST /api/v1/withdrawals` (Withdraw, 2;
 * FULL_ACCESS only). A body naming a subaccount must match the session's pinned subaccount.
 * A request with `X-API-Key` is signed by that API key instead (no device key; full access).
 * Both are verified by `@keyhold/verify` (see keyhold-verify.ts).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { RequestType } from '../bodies.js';
import { forbidden } from '../errors.js';
import { ok, type Handler, type HandlerRequest } from '../handler.js';
import { authenticateApiKeyRequest, authenticateSessionRequest } from '../keyhold-verify.js';
import type { Session } from '../state.js';
import { parseOrder, parseWithdrawal } from '../trade-bodies.js';

/** Who signed a trading request: a session (with its device key) or an API key (X-API-Key). */
type Trader = Pick<Session, 'id' | 'role' | 'subaccountIndex'>;

async function asTrader(req: HandlerRequest, requestType: number): Promise<{ session: Trader; body: Uint8Array; requestId: string }> {
  if (req.headers['x-api-key'] !== undefined) {
    const signed = await authenticateApiKeyRequest(req, requestType);
    // An API key acts for its wallet's whole account (the reference's account index 0).
    const session = { id: `api-key:${signed.context.publicKeyHex}`, role: 'FULL_ACCESS' as const, subaccountIndex: null };
    return { session, body: signed.body, requestId: signed.requestId };
  }
  const signed = await authenticateSessionRequest(req, requestType, 'required');
  return { session: signed.context.session, body: signed.body, requestId: signed.requestId };
}

function checkSubaccount(session: Trader, subaccount: number | undefined): void {
  if (subaccount !== undefined && session.subaccountIndex !== null && subaccount !== session.subaccountIndex) {
    throw forbidden('subaccount_forbidden', `this session is pinned to subaccount ${session.subaccountIndex}, not ${subaccount}`);
  }
}

export const placeOrder: Handler = async (req) => {
  const { session, body, requestId } = await asTrader(req, RequestType.PlaceOrder);
  const order = parseOrder(body);
  checkSubaccount(session, order.subaccount);
  req.state.countAccepted(session.id, 'order', order.qty);
  return ok({ order_id: randomUUID(), accepted: true, session_id: session.id, request_id: requestId });
};

export const withdraw: Handler = async (req) => {
  const { session, body, requestId } = await asTrader(req, RequestType.Withdraw);
  if (session.role !== 'FULL_ACCESS') {
    throw forbidden('role_forbidden', `withdrawals need a FULL_ACCESS session; this one is ${session.role}`);
  }
  const withdrawal = parseWithdrawal(body);
  checkSubaccount(session, withdrawal.subaccount);
  req.state.countAccepted(session.id, 'withdrawal', withdrawal.amount);
  return ok({ withdrawal_id: randomUUID(), accepted: true, session_id: session.id, request_id: requestId });
};
