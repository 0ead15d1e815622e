// @rlm/queue/testing: a private redis-server per test or benchmark (free port, temp dir, AOF on).
export {
  assertRedisServerInstalled,
  type RedisServer,
  type RedisServerOptions,
  startRedisServer,
} from './redis-server.ts'
