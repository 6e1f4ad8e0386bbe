import {
  createLogger,
  createRedisClient,
  JobStream,
  redisKeys,
  ResultRecords,
  warnUnlessKeysAreKept,
} from '@fibgraph/core';
import { AliveFile } from './alive-file.js';
import { Calculator } from './compute.js';
import { loadConfig } from './config.js';
import { JobRunner } from './runner.js';

const config = loadConfig();
const logger = createLogger('worker', config.logLevel);
const keys = redisKeys(config.redisPrefix);
const commands = createRedisClient(config.redisUrl, 'worker-commands', logger);
const blocking = createRedisClient(config.redisUrl, 'worker-blocking', logger);
warnUnlessKeysAreKept(commands, logger);
const calculator = new Calculator();
const alive = new AliveFile(config.healthFile, logger);
alive.clear();
const stream = new JobStream(commands, blocking, keys, config.consumerName, config.claimIdleMs);
const runner = new JobRunner(config, stream, new ResultRecords(commands, keys), calculator, logger, alive);
runner.start();
logger.info(
  { consumer: config.consumerName, maxIndex: config.maxIndex, healthFile: config.healthFile },
  'worker started',
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Closing the blocking connection ends a waiting XREADGROUP at once.
    blocking.disconnect();
    // Without Redis (never reached, or away) the loop waits on a queued command and nothing can be
    // handed back: closing the connection ends that wait, so the worker stops now, not at SIGKILL.
    const redisAway = commands.status !== 'ready';
    if (redisAway) commands.disconnect();
    Promise.all([alive.close(), runner.stop()])
      .then(() => calculator.cancel())
      .then(() => (redisAway ? undefined : commands.quit()))
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
