import { createLogger, createRedisClient, redisKeys } from '@fibgraph/core';
import { Calculator } from './compute.js';
import { loadConfig } from './config.js';
import { JobStream } from './job-stream.js';
import { ResultStore } from './result-store.js';
import { JobRunner } from './runner.js';

const config = loadConfig();
const logger = createLogger('worker', config.logLevel);
const keys = redisKeys(config.redisPrefix);
const commands = createRedisClient(config.redisUrl, 'worker-commands', logger);
const blocking = createRedisClient(config.redisUrl, 'worker-blocking', logger);
const calculator = new Calculator();
const stream = new JobStream(commands, blocking, keys, config.consumerName, config.claimIdleMs);
const runner = new JobRunner(config, stream, new ResultStore(commands, keys), calculator, logger);
runner.start();
logger.info({ consumer: config.consumerName, maxIndex: config.maxIndex }, 'worker started');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Closing the blocking connection ends a waiting XREADGROUP at once.
    blocking.disconnect();
    runner
      .stop()
      .then(() => calculator.cancel())
      .then(() => commands.quit())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
