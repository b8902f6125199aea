/**
 * Generators of hostile page input (fast-check), shared by the unit fuzz and the browser fuzz:
 * window messages and requests that are malformed in every way a page can make them — wrong
 * types, missing and extra fields, `__proto__` and `constructor` keys, huge strings, deep
 * nesting, cycles, values no port can carry. Every request generated is invalid *by
 * construction*: whatever reaches the worker must be refused (-32602, or 4200 for a method that
 * does not exist), never served.
 * @module
 */
import fc from 'fast-check';
import { CHANNEL } from '../../src/protocol/envelope.js';

/** The page methods whose params (`[object]`) the generators know field by field; any other gets the generic malformations. */
export const CORE_FIELDS: Record<string, Record<string, { required: boolean }>> = {
  keyhold_createSession: { ttlSeconds: { required: true }, role: { required: false }, subaccountIndex: { required: false }, requestTypes: { required: false }, label: { required: false } },
  keyhold_signRequest: { sessionId: { required: true }, requestType: { required: true }, body: { required: true }, encoding: { required: false } },
  keyhold_revokeSession: { sessionId: { required: true } },
  keyhold_send: { sessionId: { required: true }, path: { required: true }, requestType: { required: true }, body: { required: true } },
  // `signature` or `passkey`, exactly one: with the base's signature, any passkey is a fault.
  keyhold_completeSession: { sessionId: { required: true }, signature: { required: true }, passkey: { required: false } },
  keyhold_createApiKey: { name: { required: true }, validUntil: { required: true } },
  wallet_requestPermissions: { eth_accounts: { required: true } },
};

/** The wallet methods with positional params (`[data, address]`…): each position by its field name. */
export const POSITIONAL_FIELDS: Record<string, { fields: string[]; min: number }> = {
  personal_sign: { fields: ['message', 'address', 'password'], min: 2 },
  eth_signTypedData_v4: { fields: ['address', 'typedData'], min: 2 },
};

/** Methods that take no params: anything but absent or `[]` is a fault. */
export const NO_PARAMS = new Set(['keyhold_listSessions', 'eth_requestAccounts', 'eth_accounts', 'eth_chainId', 'wallet_getPermissions']);

const ADDRESS = '0x' + 'ab'.repeat(20);

/**
 * Valid params of every method the generators know (so that each mutation is the only fault),
 * for a session id of the fuzzed origin. Valid as they stand, none may change anything: the
 * fuzz only ever sends them mutated.
 */
export function validBases(sessionId: string): Record<string, Record<string, unknown> | unknown[]> {
  return {
    keyhold_createSession: { ttlSeconds: 600 },
    keyhold_signRequest: { sessionId, requestType: 1, body: 'AQID' },
    keyhold_revokeSession: { sessionId },
    keyhold_send: { sessionId, path: '/api/v1/orders', requestType: 1, body: 'AQID' },
    keyhold_completeSession: { sessionId, signature: `0x${'ab'.repeat(64)}1b` },
    keyhold_createApiKey: { name: 'fuzz', validUntil: 4_102_444_800_000 },
    wallet_requestPermissions: { eth_accounts: {} },
    personal_sign: ['0x68656c6c6f', ADDRESS],
    eth_signTypedData_v4: [ADDRESS, JSON.stringify({ types: { EIP712Domain: [], M: [{ name: 'a', type: 'uint8' }] }, primaryType: 'M', domain: {}, message: { a: 1 } })],
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isInt = (v: unknown, lo: number, hi: number) => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

/**
 * A conservative model of a valid field value: it may call an invalid value valid (that value
 * is then not generated), never the reverse.
 */
function mayBeValid(field: string, v: unknown): boolean {
  switch (field) {
    case 'ttlSeconds': return isInt(v, 60, 604_800);
    case 'role': return v === 'TRADING_ONLY' || v === 'FULL_ACCESS';
    case 'subaccountIndex': return v === null || isInt(v, 0, 2 ** 31 - 1);
    case 'requestTypes': return v === null || Array.isArray(v);
    case 'label': return v === null || (typeof v === 'string' && [...v].length <= 64);
    case 'sessionId': return typeof v === 'string' && UUID.test(v);
    case 'requestType': return isInt(v, 0, 0xffff);
    // Base64 text, or (issue 12's addition) the bytes themselves.
    case 'body': return (typeof v === 'string' && v.length <= 87_400 && /^[A-Za-z0-9+/]*={0,2}$/.test(v)) || v instanceof Uint8Array;
    case 'encoding': return v === 'json' || v === 'binary' || v === 'bytes';
    case 'path': return typeof v === 'string' && v.length <= 2048 && /^\/(?!\/)[^\s#\\]*$/.test(v);
    case 'signature': return typeof v === 'string' && /^0x[0-9a-fA-F]{130}$/.test(v);
    case 'passkey': return v === undefined;
    case 'name': return typeof v === 'string' && [...v].length <= 64;
    case 'validUntil': return isInt(v, 0, Number.MAX_SAFE_INTEGER);
    case 'eth_accounts': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'message': return typeof v === 'string' && v.length <= 2 + 2 * 65_536;
    case 'address': return typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v);
    // web3.js's password (MetaMask's test dapp sends one): accepted and ignored, whatever it is.
    case 'password': return true;
    case 'typedData': return typeof v === 'string' || (typeof v === 'object' && v !== null);
    default: return true;
  }
}

/** What a value becomes on a JSON wire (Chromium's ports): a Date turns into a string, a Map into `{}`. */
const overJson = (v: unknown): unknown => {
  try {
    const text = JSON.stringify(v);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return Symbol('not carried'); // the relay refuses it
  }
};

/** Keys a page might use to smuggle something in; none is a field of any method. */
export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'origin', 'sender', 'tab', 'url', 'toString', 'hasOwnProperty', 'valueOf', 'sessionid', 'TTLSeconds', 'privateKey', 'then', ''];
const ALL_FIELDS = new Set(['ttlSeconds', 'role', 'subaccountIndex', 'requestTypes', 'label', 'service', 'requiresUnlock', 'sessionId', 'requestType', 'body', 'encoding', 'signature', 'passkey', 'path', 'name', 'validUntil', 'eth_accounts']);

/** An own enumerable property, even for `__proto__`. */
export function withKey(o: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
  return o;
}

/** Nested `depth` levels deep, in arrays or objects. */
export const deep = (depth: number, inObjects: boolean): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = inObjects ? { d: v } : [v];
  return v;
};

/** JSON values (they survive any port), wide: huge strings and deep nesting sometimes. */
export const jsonish = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 20, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.constantFrom(0, -1, 1.5, 1e308, -0, 2 ** 53, '', ' ', 'null', '0', 'AAAA', 'not base64!', '00000000-0000-0000-0000-00000000000g') },
    { weight: 1, arbitrary: fc.constantFrom(65_536, 1 << 20).map((n) => 'A'.repeat(n)) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50, max: 1_500 }), fc.boolean()).map(([d, o]) => deep(d, o)) },
  );

/** A value no port can carry as JSON, or no window can clone, built fresh each time. */
export type Exotic = 'cycle' | 'bigint' | 'function' | 'symbol' | 'map' | 'date' | 'typed' | 'sparse' | 'nullproto' | 'regexp' | 'error';
export const EXOTICS: Exotic[] = ['cycle', 'bigint', 'function', 'symbol', 'map', 'date', 'typed', 'sparse', 'nullproto', 'regexp', 'error'];
export function makeExotic(kind: Exotic): unknown {
  switch (kind) {
    case 'cycle': { const o: Record<string, unknown> = { a: 1 }; o.self = o; return o; }
    case 'bigint': return 10n ** 30n;
    case 'function': return () => 1;
    case 'symbol': return Symbol('x');
    case 'map': return new Map([['ttlSeconds', 600]]);
    case 'date': return new Date(0);
    case 'typed': return new Uint8Array([1, 2, 3]);
    case 'sparse': { const a: unknown[] = []; a[5] = 1; return a; }
    case 'nullproto': return Object.assign(Object.create(null), { ttlSeconds: 600 });
    case 'regexp': return /x/;
    case 'error': return new Error('x');
  }
}

/** A method name: a real one, or one that must get 4200 or -32602. */
export const methodName = (methods: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...methods) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'approval_decide', 'session_listAll', 'session_revoke', 'keyhold_createsession', 'eth_requestAccounts', 'keyhold_signRequest ', 'x'.repeat(129)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );

/**
 * Params for `method` that its validator must refuse, whatever else is in them. `base` gives
 * valid params of the core methods (so that each mutation is the only fault); `exotic` allows
 * values beyond JSON (cycles, BigInt, Map…) for paths that carry them.
 */
export function badParams(method: string, base: Record<string, unknown> | unknown[] | undefined, exotic: boolean): fc.Arbitrary<unknown> {
  const fields = CORE_FIELDS[method];
  const positional = POSITIONAL_FIELDS[method];
  const object = Array.isArray(base) ? { ...base } : { ...(base ?? {}) };
  const value = exotic ? fc.oneof({ weight: 5, arbitrary: jsonish() }, { weight: 1, arbitrary: fc.constantFrom(...EXOTICS).map(makeExotic) }) : jsonish();
  const generic: fc.Arbitrary<unknown>[] = [
    // Not `[object]`: any non-array, an empty or long array, an array of a non-object.
    fc.oneof(fc.jsonValue({ maxDepth: 2 }).filter((v) => !Array.isArray(v) && v !== null && typeof v !== 'object'), fc.constant(null), fc.constant({ ...object })),
    fc.array(fc.constant({ ...object }), { minLength: 2, maxLength: 3 }),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant([])).map((v) => [v]),
    // `[object]` with one key no method has (plus the valid fields, if any).
    fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 20 }).filter((k) => !ALL_FIELDS.has(k))), value).map(([k, v]) => [withKey({ ...object }, k, v)]),
  ];
  if (NO_PARAMS.has(method)) generic.push(fc.constant([{}]), fc.constant([[]]), fc.constant([null]));
  if (fields && base && !Array.isArray(base)) {
    const names = Object.keys(fields);
    // One known field with a value it must refuse.
    generic.push(
      fc.tuple(fc.constantFrom(...names), value).filter(([f, v]) => v !== undefined && !mayBeValid(f, v) && !mayBeValid(f, overJson(v))).map(([f, v]) => [withKey({ ...base }, f, v)]),
    );
    // A required field missing.
    const required = names.filter((n) => fields[n]!.required);
    generic.push(fc.constantFrom(...required).map((f) => { const o = { ...base }; delete o[f]; return [o]; }));
  }
  if (positional && Array.isArray(base)) {
    const { fields: names, min } = positional;
    // Inside an array, what JSON cannot carry becomes null.
    const inArray = (v: unknown) => (overJson([v]) as unknown[] | undefined)?.[0];
    // One position with a value it must refuse.
    generic.push(
      fc.tuple(fc.nat({ max: names.length - 1 }), value)
        .filter(([i, v]) => v !== undefined && !mayBeValid(names[i]!, v) && !mayBeValid(names[i]!, inArray(v)))
        .map(([i, v]) => { const a = [...base]; a[i] = v; return a; }),
    );
    // Too few values, or too many.
    generic.push(fc.constant(base.slice(0, min - 1)), fc.constant([...base, ...Array.from({ length: names.length + 1 - base.length }, () => 'extra')]));
  }
  return fc.oneof(...generic);
}

export interface BadRequest {
  id: unknown;
  method?: unknown;
  params?: unknown;
  [extra: string]: unknown;
}

/**
 * A batch of requests, each invalid; ids are mostly usable (so the request is answered) and
 * sometimes not (so it is dropped). Request-level extras (`origin`, `__proto__`…) ride along.
 */
export function badBatch(methods: string[], bases: Record<string, Record<string, unknown> | unknown[]>, exotic: boolean, idPrefix: string): fc.Arbitrary<BadRequest[]> {
  const request = (i: number) =>
    methodName(methods).chain((method) =>
      fc.record({
        idKind: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'number', 'empty', 'long', 'missing', 'object'),
        params: typeof method === 'string' && methods.includes(method) ? badParams(method, bases[method], exotic) : fc.option(jsonish(), { nil: undefined }),
        extra: fc.option(fc.tuple(fc.constantFrom(...HOSTILE_KEYS), jsonish()), { nil: undefined }),
      }).map(({ idKind, params, extra }) => {
        const id = { ok: `${idPrefix}${i}`, number: i, empty: '', long: 'i'.repeat(65), missing: undefined, object: { id: `${idPrefix}${i}` } }[idKind];
        const r: BadRequest = { id, method, params };
        if (idKind === 'missing') delete r.id;
        // A method without params would take absent params: keep params present for those.
        if (params === undefined && !NO_PARAMS.has(method as string)) delete r.params;
        if (extra && extra[0] !== 'id' ) withKey(r as Record<string, unknown>, extra[0] === '' ? 'x' : extra[0], extra[1]);
        return r;
      }),
    );
  return fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => request(i))));
}

/** Whether the relay (and the worker) would answer this request: it has a usable id. */
export const hasUsableId = (r: unknown): r is { id: string } => {
  const id = (r as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64;
};

/** A window message the relay must drop whole (wrong tag, direction or shape) — or not. */
export type Envelope = { data: unknown; relayAccepts: boolean };
export function envelope(batch: fc.Arbitrary<BadRequest[]>): fc.Arbitrary<Envelope> {
  return fc.oneof(
    { weight: 6, arbitrary: batch.map((requests) => ({ data: { channel: CHANNEL, dir: 'to-keyhold', requests }, relayAccepts: true })) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(batch, fc.constantFrom('channel', 'dir', 'requests', 'shape', 'rpc'), jsonish())
        .map(([requests, what, junk]) => {
          if (what === 'channel') return { data: { channel: junk === CHANNEL ? 'x' : junk, dir: 'to-keyhold', requests }, relayAccepts: false };
          if (what === 'dir') return { data: { channel: CHANNEL, dir: junk === 'to-keyhold' ? 'to-page' : junk, requests }, relayAccepts: false };
          if (what === 'requests') return { data: { channel: CHANNEL, dir: 'to-keyhold', requests: Array.isArray(junk) ? { 0: junk } : junk }, relayAccepts: false };
          if (what === 'rpc') return { data: { channel: 'dev.keyhold/rpc', method: 'session_listAll', params: {}, requests }, relayAccepts: false };
          return { data: junk, relayAccepts: false };
        }),
    },
    // Extra envelope-level fields do not matter: the relay reads channel, dir, requests only.
    { weight: 1, arbitrary: fc.tuple(batch, fc.constantFrom(...HOSTILE_KEYS), jsonish()).map(([requests, k, v]) => ({ data: withKey({ channel: CHANNEL, dir: 'to-keyhold', requests }, k || 'x', v), relayAccepts: !['channel', 'dir', 'requests'].includes(k) })) },
  );
}
