import { pino, type Logger } from 'pino';

export type { Logger };

/** One structured logger per service; JSON lines on stdout. */
export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level });
}
