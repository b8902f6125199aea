/**
 * `keyhold_send`: signs a request with a service session and posts it to the service with the
 * device key. Neither key reaches the page; the page gets the service's status and answer.
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import type { SendParams, SendResult } from '../../src/protocol/page-api.js';
import { encodeEnvelope } from '../../src/wire/envelope.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { ServiceClient } from '../services/client.js';
import { admitSessionUse } from '../sessions/gate.js';
import { signSessionPayload } from '../signer/payload-signer.js';
import { signedEntry } from '../audit/entries.js';

export async function send(deps: WorkerDeps, p: SendParams, ctx: PageContext): Promise<SendResult> {
  const now = deps.now();
  const admitted = await admitSessionUse(deps, { sessionId: p.sessionId, origin: ctx.origin, requestType: p.requestType, body: p.body }, now);
  const { record, publicKeyBase64 } = admitted;
  let payload: Uint8Array;
  let signature: Uint8Array;
  const service = record.service;
  let client: ServiceClient;
  try {
    if (!service?.deviceKey) throw invalidParams('keyhold_send needs a session created with a service; use keyhold_signRequest for this one.');
    client = new ServiceClient(deps.http, service.baseUrl);
    // The path was checked to start with one "/"; the client refuses it all the same if it left the service.
    client.url(p.path);
    ({ payload, signature } = await signSessionPayload(record.privateKey, p.requestType, p.body, now));
    // Sent only once the policy's counts in storage include it (see Admission.counted).
    if (admitted.counted) await admitted.counted;
  } catch (err) {
    // Nothing was signed: it does not count against the policy.
    admitted.release();
    throw err;
  }
  deps.audit.record(signedEntry(ctx.origin, p.sessionId, p.requestType, payload, now, record.descriptor, p.body));
  return client.post(p.path, encodeEnvelope(payload, publicKeyBase64, signature), service.deviceKey);
}
