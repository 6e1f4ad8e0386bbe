import { onShutdownSignal } from '@fibgraph/core';
import { createGateway } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

const config = loadConfig();
const logger = createLogger('gateway', config.logLevel);
const gateway = await createGateway(config, logger);
const port = await gateway.server.listen(config.port);
gateway.reconciler.start();
logger.info({ port, maxIndex: config.maxIndex }, 'gateway listening');
onShutdownSignal(logger, () => gateway.close());
