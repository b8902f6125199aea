/**
 * `GET /api/v1/health` and the test-only `POST /api/v1/_test/outage`.
 * @module
 */
import { parseJsonObject } from '../../packages/verify/src/index.js';
import { badRequest } from '../errors.js';
import { ok, type Handler } from '../handler.js';

export const health: Handler = () => ok({ ok: true });

/** Test hook: `{on: boolean}` turns the simulated outage on or off. */
export const setOutage: Handler = (req) => {
  const json = parseJsonObject(req.body);
  if (typeof json.on !== 'boolean' || Object.keys(json).length !== 1) {
    throw badRequest('bad_body', 'outage body must be {"on": boolean}');
  }
  req.state.outage = json.on;
  return ok({ outage: json.on });
};
