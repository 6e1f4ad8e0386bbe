export { createLogger, type Logger } from '@fibgraph/core';
