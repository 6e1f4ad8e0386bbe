export * from './fibonacci.js';
export * from './validation.js';
export * from './keys.js';
export * from './events.js';
export * from './redis.js';
export * from './env.js';
export * from './logger.js';
