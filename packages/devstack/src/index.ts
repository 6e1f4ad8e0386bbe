// What `npm start`, the integration tests, the browser tests and the benchmarks share: starting
// and stopping the local stack's parts. The `npm start` entry itself is start.ts.
export { aptInstall, findExecutable } from './apt.js';
export { spawnChild, type ManagedChild } from './child.js';
export { findNginx, prepareNginx, renderDefaultConf, renderWebConf, writeMainConf } from './nginx.js';
export { getFreePort, waitUntil } from './ports.js';
export { canConnect, ensurePostgres, launchPostgres, withClient, type LocalPostgres } from './postgres.js';
export {
  ensureRedisBinary,
  startRedisCluster,
  startRedisServer,
  type RedisCluster,
  type RedisServer,
} from './redis-server.js';
export { REPO_ROOT } from './repo.js';
export { spawnGateway, spawnWorker, WORKER_COMMAND, type BuiltService } from './stack-services.js';
export { createTestDatabase, type TestDatabase } from './test/db.js';
