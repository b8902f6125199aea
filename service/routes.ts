/**
 * The endpoint table. See `spec/service.md` for each endpoint's contract.
 * @module
 */
import type { Route } from './handler.js';
import { createApiKey, revokeApiKey } from './handlers/api-keys.js';
import { health, setOutage } from './handlers/health.js';
import { login } from './handlers/login.js';
import { logout } from './handlers/logout.js';
import { registerPasskey } from './handlers/passkeys.js';
import { listSessions, revokeSession } from './handlers/sessions.js';
import { placeOrder, withdraw } from './handlers/trading.js';
import { exportSessions, importSessions } from './handlers/test-sessions.js';
import { verifyRequest } from './handlers/verify.js';
import { acceptedCounts, descriptor } from './handlers/descriptor.js';

/** The test-only outage hook's path; it stays up during an outage. */
export const OUTAGE_PATH = '/api/v1/_test/outage';
/** The test-only count of what the trading endpoints accepted, per session. */
export const ACCEPTED_PATH = '/api/v1/_test/accepted';

/** Copies sessions between processes of one service in tests (`handlers/test-sessions.ts`). */
export const TEST_SESSIONS_PATH = '/api/v1/_test/sessions';

/** Unsigned requests, or ones a wallet signs inside the body (the API-key endpoints). */
const UNSIGNED: readonly Route[] = [
  { method: 'GET', path: '/api/v1/health', handler: health },
  { method: 'GET', path: '/.well-known/keyhold.json', handler: descriptor },
  { method: 'POST', path: '/api/v1/passkeys/register', handler: registerPasskey },
  { method: 'POST', path: '/api/v1/createApiKey', handler: createApiKey },
  { method: 'POST', path: '/api/v1/revokeApiKey', handler: revokeApiKey },
];

/** Signed by a master (secp256k1 or passkey): its login, and its calls about its sessions. */
const MASTER_SIGNED: readonly Route[] = [
  { method: 'POST', path: '/api/v1/login', handler: login },
  { method: 'POST', path: '/api/v1/auth/sessions/list', handler: listSessions },
  { method: 'POST', path: '/api/v1/auth/sessions/revoke', handler: revokeSession },
];

/** Signed by a session key (orders also by an API key; `verify` by anyone, to try a signature). */
const SESSION_SIGNED: readonly Route[] = [
  { method: 'POST', path: '/api/v1/logout', handler: logout },
  { method: 'POST', path: '/api/v1/orders', handler: placeOrder },
  { method: 'POST', path: '/api/v1/withdrawals', handler: withdraw },
  { method: 'POST', path: '/api/v1/verify', handler: verifyRequest },
];

/** The test-only hooks: outage, accepted counts, sessions copied between processes. */
const TEST_HOOKS: readonly Route[] = [
  { method: 'POST', path: OUTAGE_PATH, handler: setOutage },
  { method: 'GET', path: ACCEPTED_PATH, handler: acceptedCounts },
  { method: 'GET', path: TEST_SESSIONS_PATH, handler: exportSessions },
  { method: 'POST', path: TEST_SESSIONS_PATH, handler: importSessions },
];

/** Every endpoint; the test hooks only when `testHooks` is on. */
export function routes(testHooks: boolean): Route[] {
  return [...UNSIGNED, ...MASTER_SIGNED, ...SESSION_SIGNED, ...(testHooks ? TEST_HOOKS : [])];
}
