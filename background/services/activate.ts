/**
 * Completing a service login, whoever signed it: post the envelope, keep the device key the
 * service issues, and make the session active. Shared by `keyhold_completeSession` (the page's
 * own master) and `keyhold_createSession` (Keyhold's unlocked vault).
 * @module
 */
import { toBase64 } from '../../src/encoding/base64.js';
import type { SessionRecord } from '../db.js';
import type { WorkerDeps } from '../deps.js';
import { signPayloadWithMaster } from '../vault/master-signer.js';
import { postLogin, type MasterEnvelope } from './login.js';

/** Posts the login for a pending service session and stores it active with its device key. */
export async function activate(deps: WorkerDeps, record: SessionRecord, envelope: MasterEnvelope): Promise<SessionRecord> {
  const service = record.service!;
  const { deviceKey } = await postLogin(deps.http, service.baseUrl, record.id, envelope);
  const active: SessionRecord = { ...record, service: { ...service, status: 'active', loginPayload: null, deviceKey } };
  await deps.sessions.update(active);
  deps.notifyPages();
  return active;
}

/**
 * Logs a pending secp256k1 session in with Keyhold's own master, when the vault is unlocked:
 * the account connected to the session's site, or else the vault's first. Answers the record
 * unchanged when there is no unlocked master (the page then brings its own).
 */
export async function activateWithVault(deps: WorkerDeps, record: SessionRecord): Promise<SessionRecord> {
  const service = record.service;
  if (service?.status !== 'pending' || service.master !== 'secp256k1' || !service.loginPayload) return record;
  const { unlocked } = await deps.vault.status();
  if (!unlocked) return record;
  const account = (await deps.permissions.get(record.origin))?.accounts[0];
  const { signature, publicKey } = await signPayloadWithMaster(deps, service.loginPayload, account);
  return activate(deps, record, { payload: toBase64(service.loginPayload), public_key: toBase64(publicKey), signature: toBase64(signature) });
}
