import {
  CalculationRecords,
  createLogger,
  createRedisClient,
  JobStream,
  onShutdownSignal,
  redisKeys,
  warnUnlessKeysAreKept,
} from '@fibgraph/core';
import { AliveFile } from './alive-file.js';
import { Calculator } from './calculator.js';
import { loadConfig } from './config.js';
import { decimalConversion } from './decimal.js';
import { JobRunner } from './runner.js';

const config = loadConfig();
const logger = createLogger('worker', config.logLevel);
const keys = redisKeys(config.redisPrefix);
// Pipelined: a batch of jobs (runner.ts) sends its commands in one write, not one each.
const commands = createRedisClient(config.redisUrl, 'worker-commands', logger, {
  cluster: config.redisCluster,
  enableAutoPipelining: true,
});
const blocking = createRedisClient(config.redisUrl, 'worker-blocking', logger, { cluster: config.redisCluster });
warnUnlessKeysAreKept(commands, logger);
const calculator = new Calculator();
let stopping = false;
// Started now, not by the first job: that job would otherwise wait for the thread and its first run.
calculator.warm().then(
  (ms) => logger.info({ ms }, 'calculation thread ready'),
  (err: unknown) => {
    if (!stopping) logger.warn({ err }, 'the calculation thread did not start; the first job tries again');
  },
);
const alive = new AliveFile(config.healthFile, logger);
alive.clear();
const stream = new JobStream(commands, blocking, keys, config.consumerName, config.claimIdleMs);
const runner = new JobRunner(config, stream, new CalculationRecords(commands, keys), calculator, logger, alive);
runner.start();
logger.info(
  {
    consumer: config.consumerName,
    maxIndex: config.maxIndex,
    healthFile: config.healthFile,
    decimal: decimalConversion.by,
  },
  'worker started',
);
if (decimalConversion.by === 'v8') {
  logger.warn(
    { why: decimalConversion.why },
    "huge values are converted to decimal by V8's BigInt toString, 5-6x slower than GMP",
  );
}

onShutdownSignal(logger, () => {
  stopping = true;
  // Closing the blocking connection ends a waiting XREADGROUP at once.
  blocking.disconnect();
  // Without Redis (never reached, or away) the loop waits on a queued command and nothing can be
  // handed back: closing the connection ends that wait, so the worker stops now, not at SIGKILL.
  const redisAway = commands.status !== 'ready';
  if (redisAway) commands.disconnect();
  return Promise.all([alive.close(), runner.stop()])
    .then(() => calculator.cancel())
    .then(() => (redisAway ? undefined : commands.quit()));
});
