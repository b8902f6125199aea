/**
 * Completing a service login, whoever signed it: post the envelope, keep the device key the
 * service issues, and make the session active. Shared by `keyhold_completeSession` (the page's
 * own master) and `keyhold_createSession` (Keyhold's unlocked vault).
 * @module
 */
import { encodeEnvelope, type MasterEnvelope } from '../../src/wire/envelope.js';
import type { SessionRecord } from '../db.js';
import type { WorkerDeps } from '../deps.js';
import { signPayloadWithMaster } from '../vault/master-signer.js';
import { postLogin } from './login.js';
import { rememberMasterService } from './master-services.js';

/** Posts the login for a pending service session and stores it active with its device key. */
export async function activate(deps: WorkerDeps, record: SessionRecord, envelope: MasterEnvelope): Promise<SessionRecord> {
  const service = record.service;
  if (!service) throw new Error('activate: the session has no service');
  const { deviceKey, serviceSessionId } = await postLogin(deps.http, service.baseUrl, record, envelope);
  // A service that assigned its own id: keep it beside Keyhold's, for logouts and its session list.
  const assigned = serviceSessionId !== record.id ? { serviceSessionId } : {};
  const active: SessionRecord = { ...record, service: { ...service, status: 'active', loginPayload: null, deviceKey, ...assigned } };
  await deps.sessions.update(active);
  deps.tellExtensionPages('popup:sessions-changed');
  return active;
}

/**
 * Logs a pending session in with Keyhold's own master, only when the user approved exactly that
 * (the approval window named the account, the service and the site): the record says the vault
 * signs, and with which account. Answers any other record unchanged (the page brings its own).
 * @throws ProviderRpcError 4100 when the vault was locked meanwhile
 */
export async function activateWithVault(deps: WorkerDeps, record: SessionRecord): Promise<SessionRecord> {
  const service = record.service;
  if (service?.status !== 'pending' || service.signer !== 'vault' || service.master !== 'secp256k1' || !service.loginPayload || !service.address) return record;
  const { signature, publicKey } = await signPayloadWithMaster(deps, service.loginPayload, service.address, { origin: record.origin, method: 'login' });
  const active = await activate(deps, record, encodeEnvelope(service.loginPayload, publicKey, signature));
  await rememberMasterService(deps, service.baseUrl);
  return active;
}
