/**
 * `GET /.well-known/keyhold.json`: the reference service's descriptor (`spec/descriptor.md`):
 * the names, risk, body schemas and summaries of its request types, for Keyhold to show the
 * user and to enforce (a schema here only narrows what a session signs).
 * @module
 */
import { RequestType } from '../bodies.js';
import { ok, type Handler } from '../handler.js';

const u32 = { type: 'integer', minimum: 0, maximum: 0xffffffff };

export const DESCRIPTOR = {
  name: 'Keyhold reference exchange',
  requestTypes: {
    [RequestType.PlaceOrder]: {
      name: 'PlaceOrder',
      risk: 'trade',
      body: 'json',
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { side: { enum: ['buy', 'sell'] }, qty: { type: 'number', exclusiveMinimum: 0 }, symbol: { type: 'string', maxLength: 64 }, subaccount: u32 },
        required: ['side', 'qty'],
        additionalProperties: false,
      },
      summary: '{/side} {/qty} {/symbol}',
    },
    [RequestType.Withdraw]: {
      name: 'Withdraw',
      risk: 'transfer',
      body: 'json',
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { asset: { type: 'string', minLength: 1, maxLength: 64 }, amount: { type: 'number', exclusiveMinimum: 0 }, subaccount: u32 },
        required: ['asset', 'amount'],
        additionalProperties: false,
      },
      summary: 'Withdraw {/amount} {/asset}',
    },
    [RequestType.RevokeSession]: { name: 'RevokeSession', risk: 'admin', body: 'binary' },
    [RequestType.ListSessions]: { name: 'ListSessions', risk: 'read', body: 'binary' },
    [RequestType.CreateSession]: { name: 'CreateSession (login)', risk: 'admin', body: 'binary' },
  },
} as const;

export const descriptor: Handler = () => ok(DESCRIPTOR);

/** Test hook: what the trading endpoints accepted, per session (the policy suite counts it). */
export const acceptedCounts: Handler = (req) => ok(Object.fromEntries(req.state.accepted));
