/**
 * Opens a node-redis client for a {@link RedisReplayGuard} from a `redis://` URL, set up to
 * fail closed fast: no offline queue (a claim while disconnected rejects at once instead of
 * waiting for the reconnect), and reconnects in the background so the store recovers by itself.
 * It watches for data loss (`lossWindowMs`, default 70 000: `@keyhold/verify`'s 60 s window and
 * 5 s skews): every (re)connection re-reads the epoch before claims are answered again.
 * @module
 */
import { createClient } from '@redis/client';
import { RedisReplayGuard, type RedisReplayGuardOptions } from './replay-redis.js';

export interface ConnectOptions extends Omit<RedisReplayGuardOptions, 'client'> {
  /** receives connection errors and reconnects (no secrets: the URL's password is not logged) */
  onError?: (message: string) => void;
}

/** A guard with its own connection, and how to close it. */
export interface ConnectedRedisReplayGuard {
  guard: RedisReplayGuard;
  /** closes the connection */
  close(): Promise<void>;
}

/**
 * Connects to `url` (`redis://[user:pass@]host:port[/db]` or `rediss://…`).
 * @throws when the URL is not a redis URL or the first connection fails
 */
export async function connectRedisReplayGuard(url: string, options: ConnectOptions = {}): Promise<ConnectedRedisReplayGuard> {
  const { onError, ...guardOptions } = options;
  if (!/^rediss?:\/\//.test(url)) throw new RangeError('the replay store URL must start with redis:// or rediss://');
  const lossWindowMs = guardOptions.lossWindowMs ?? 70_000;
  let everReady = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      // The first connection fails at once (a wrong URL or password is the operator's to fix);
      // once up, it retries forever, claims failing closed meanwhile.
      reconnectStrategy: (retries: number, cause: Error) => (everReady ? Math.min(50 * 2 ** retries, 1000) : cause),
    },
  });
  const guard = new RedisReplayGuard({ ...guardOptions, lossWindowMs, client });
  client.on('error', (err: unknown) => onError?.(`replay store: ${err instanceof Error ? err.message : String(err)}`));
  client.on('end', () => guard.unsync());
  client.on('reconnecting', () => guard.unsync());
  // Each (re)connection: check the epoch before claims are answered (fails closed meanwhile).
  client.on('ready', () => {
    guard.unsync();
    guard.sync(client).catch((err: unknown) => onError?.(`replay store: epoch check failed: ${err instanceof Error ? err.message : String(err)}`));
  });
  try {
    await client.connect();
  } catch (err) {
    if (client.isOpen) await client.close().catch(() => {});
    throw err;
  }
  everReady = true;
  await guard.sync(client);
  return {
    guard,
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}
