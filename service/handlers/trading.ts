/**
 * The reference service's trading endpoints, signed by session keys with their device key:
 * `POST /api/v1/orders` (PlaceOrder, 1; any role) and `POST /api/v1/withdrawals` (Withdraw, 2;
 * FULL_ACCESS only). A body naming a subaccount must match the session's pinned subaccount.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { authenticateSession } from '../authenticate.js';
import { RequestType } from '../bodies.js';
import { forbidden } from '../errors.js';
import { authContextOf, ok, signedRequestOf, type Handler, type HandlerRequest } from '../handler.js';
import { uuidText, type Payload } from '../payload.js';
import type { Session } from '../state.js';
import { parseOrder, parseWithdrawal } from '../trade-bodies.js';

function asSession(req: HandlerRequest, requestType: number): { session: Session; payload: Payload } {
  const signed = signedRequestOf(req);
  const { session } = authenticateSession(signed, requestType, 'required', authContextOf(req));
  return { session, payload: signed.payload };
}

function checkSubaccount(session: Session, subaccount: number | undefined): void {
  if (subaccount !== undefined && session.subaccountIndex !== null && subaccount !== session.subaccountIndex) {
    throw forbidden('subaccount_forbidden', `this session is pinned to subaccount ${session.subaccountIndex}, not ${subaccount}`);
  }
}

export const placeOrder: Handler = (req) => {
  const { session, payload } = asSession(req, RequestType.PlaceOrder);
  const order = parseOrder(payload.body);
  checkSubaccount(session, order.subaccount);
  return ok({ order_id: randomUUID(), accepted: true, session_id: session.id, request_id: uuidText(payload.requestId) });
};

export const withdraw: Handler = (req) => {
  const { session, payload } = asSession(req, RequestType.Withdraw);
  if (session.role !== 'FULL_ACCESS') {
    throw forbidden('role_forbidden', `withdrawals need a FULL_ACCESS session; this one is ${session.role}`);
  }
  const withdrawal = parseWithdrawal(payload.body);
  checkSubaccount(session, withdrawal.subaccount);
  return ok({ withdrawal_id: randomUUID(), accepted: true, session_id: session.id, request_id: uuidText(payload.requestId) });
};
