/**
 * What Keyhold's master key asks of a service: the list of all its sessions there (from any
 * device), and revoking any of them, including ones this browser does not hold. Both are
 * signature type 2 payloads signed by the unlocked vault; the popup calls them on the user's
 * deliberate click, and only for a service the master itself logged in to
 * (`master-services.ts`). Each body names its audience (the service's origin) and the site that
 * asked (Keyhold's own origin), so a service cannot replay it at another (`spec/signing.md` §5.2).
 * @module
 */
import { unauthorized } from '../../src/protocol/errors.js';
import type { ServiceSessionView } from '../../src/protocol/extension-rpc.js';
import { RequestType, encodeListSessions, encodeMasterRevokeSession, type MasterScope } from '../../src/wire/bodies.js';
import { encodeEnvelope } from '../../src/wire/envelope.js';
import { SignatureType } from '../../src/wire/payload.js';
import { freshPayload } from '../signer/payload-signer.js';
import { isUuidString, uuidFromString } from '../../src/wire/uuidv7.js';
import type { WorkerDeps } from '../deps.js';
import { serviceSessionIdOf } from '../sessions/record.js';
import { signPayloadWithMaster } from '../vault/master-signer.js';
import { ServiceClient, serviceFailed } from './client.js';
import { member, type HttpAnswer } from './http.js';
import { masterServices } from './master-services.js';

export const LIST_PATH = '/api/v1/auth/sessions/list';
export const MASTER_REVOKE_PATH = '/api/v1/auth/sessions/revoke';
const MAX_ROWS = 1000;

/**
 * The scope of a call the popup asked for at `baseUrl`, refused unless the master logged in there.
 * @throws ProviderRpcError 4100 for a service the master never logged in to
 */
async function popupScope(deps: WorkerDeps, baseUrl: string): Promise<MasterScope> {
  if (!(await masterServices(deps)).includes(baseUrl)) {
    throw unauthorized(`Keyhold's master key never logged in at ${baseUrl}: it lists and revokes sessions only at services where it logged in itself.`);
  }
  return { audience: baseUrl, site: deps.extensionOrigin };
}

async function postAsMaster(deps: WorkerDeps, baseUrl: string, path: string, requestType: number, body: Uint8Array): Promise<HttpAnswer> {
  const now = deps.now();
  const payload = freshPayload(SignatureType.Secp256k1, requestType, body, now);
  const method = requestType === RequestType.RevokeSession ? 'RevokeSession' : 'ListSessions';
  const { signature, publicKey } = await signPayloadWithMaster(deps, payload, undefined, { origin: baseUrl, method, wire: true });
  return new ServiceClient(deps.http, baseUrl).call(path, encodeEnvelope(payload, publicKey, signature));
}

const isoOrNull = (v: unknown): string | null => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : null);

/** A service's row, checked field by field; a row that does not fit is dropped. */
function toView(row: unknown, heldHere: Set<string>): ServiceSessionView | null {
  const rowId = member(row, 'id');
  const publicKey = member(row, 'public_key');
  if (!isUuidString(rowId) || typeof publicKey !== 'string' || publicKey.length > 100) return null;
  const id = rowId.toLowerCase();
  const subaccount = member(row, 'subaccount_index');
  return {
    id,
    publicKey,
    role: member(row, 'role') === 'FULL_ACCESS' ? 'FULL_ACCESS' : 'TRADING_ONLY',
    subaccountIndex: typeof subaccount === 'number' && Number.isSafeInteger(subaccount) ? subaccount : null,
    createdAt: isoOrNull(member(row, 'created_at')),
    validUntil: isoOrNull(member(row, 'valid_until')),
    heldHere: heldHere.has(id),
  };
}

/** Every session the vault's master has at `baseUrl`, marking those this browser holds. */
export async function listAtService(deps: WorkerDeps, baseUrl: string): Promise<ServiceSessionView[]> {
  const body = encodeListSessions(await popupScope(deps, baseUrl));
  const answer = await postAsMaster(deps, baseUrl, LIST_PATH, RequestType.ListSessions, body);
  if (!Array.isArray(answer.body)) throw serviceFailed(baseUrl, 'its session list is not a list');
  const held = new Set((await heldAt(deps, baseUrl)).map(serviceSessionIdOf));
  return answer.body.slice(0, MAX_ROWS).map((row) => toView(row, held)).filter((v): v is ServiceSessionView => v !== null);
}

/** This browser's sessions at `baseUrl`. */
const heldAt = async (deps: WorkerDeps, baseUrl: string) => (await deps.sessions.listAll(0)).filter((s) => s.service?.baseUrl === baseUrl);

/**
 * Revokes one of the master's sessions at `baseUrl`, held here or not.
 * @param sessionId - the id the service knows the session by (its row's `id`)
 */
export async function revokeAtService(deps: WorkerDeps, baseUrl: string, sessionId: string): Promise<{ revoked: true }> {
  const body = encodeMasterRevokeSession(uuidFromString(sessionId), await popupScope(deps, baseUrl));
  const answer = await postAsMaster(deps, baseUrl, MASTER_REVOKE_PATH, RequestType.RevokeSession, body);
  // Only the service's own confirmation counts: a proxy's or captive portal's 200 page is not one.
  if (member(answer.body, 'session_revoked') !== true) throw serviceFailed(baseUrl, 'it did not confirm the revocation');
  // A session this browser holds is now useless: drop it here too (its service already knows).
  const local = (await heldAt(deps, baseUrl)).find((s) => serviceSessionIdOf(s) === sessionId);
  if (local && (await deps.sessions.delete(local.id))) deps.tellExtensionPages('popup:sessions-changed');
  return { revoked: true };
}

