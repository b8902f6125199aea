/**
 * `keyhold_send`: signs a request with a service session and posts it to the service with the
 * device key. Neither key reaches the page; the page gets the service's status and answer.
 * @module
 */
import { toBase64 } from '../../src/encoding/base64.js';
import { invalidParams } from '../../src/protocol/errors.js';
import type { SendParams, SendResult } from '../../src/protocol/page-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { ServiceUnreachable } from '../services/http.js';
import { unreachable } from '../services/login.js';
import { admitSessionUse } from '../sessions/gate.js';
import { signSessionPayload } from '../signer/payload-signer.js';
import { signedEntry } from '../audit/entries.js';

export const DEVICE_KEY_HEADER = 'X-DEVICE-KEY';

export async function send(deps: WorkerDeps, p: SendParams, ctx: PageContext): Promise<SendResult> {
  const now = deps.now();
  const admitted = await admitSessionUse(deps, { sessionId: p.sessionId, origin: ctx.origin, requestType: p.requestType, body: p.body }, now);
  const { record, publicKeyBase64 } = admitted;
  let payload: Uint8Array;
  let signature: Uint8Array;
  const service = record.service;
  let url: URL;
  try {
    if (!service?.deviceKey) throw invalidParams('keyhold_send needs a session created with a service; use keyhold_signRequest for this one.');
    url = new URL(p.path, service.baseUrl);
    // The path was checked to start with one "/", so it cannot leave the service's origin.
    if (url.origin !== service.baseUrl) throw invalidParams('path must stay on the session\'s service.');
    ({ payload, signature } = await signSessionPayload(record.privateKey, p.requestType, p.body, now));
  } catch (err) {
    // Nothing was signed: it does not count against the policy.
    admitted.release();
    throw err;
  }
  deps.audit.record(signedEntry(ctx.origin, p.sessionId, p.requestType, payload, now, record.descriptor, p.body));
  try {
    return await deps.http.post(
      url.href,
      { payload: toBase64(payload), public_key: publicKeyBase64, signature: toBase64(signature) },
      { [DEVICE_KEY_HEADER]: toBase64(service.deviceKey) },
    );
  } catch (err) {
    if (err instanceof ServiceUnreachable) throw unreachable(service.baseUrl, err);
    throw err;
  }
}
