/**
 * `@keyhold/verify-redis`: a shared replay store on Redis for `@keyhold/verify`, so several
 * processes of one service accept each signed request and each login nonce once.
 * @module
 */
export { DEFAULT_PREFIX, RedisReplayGuard, replayKey, type RedisReplayGuardOptions, type RedisSetClient, type SetNxPxOptions } from './replay-redis.js';
export { connectRedisReplayGuard, type ConnectOptions, type ConnectedRedisReplayGuard } from './connect.js';
