/**
 * Plain prefixed lines rather than JSON: this is read by a person at a terminal, and the
 * services it starts already print their own structured logs.
 */
export function createLog(prefix: string) {
  const tag = `[${prefix}]`;
  return {
    info: (message: string) => console.log(`${tag} ${message}`),
    warn: (message: string) => console.warn(`${tag} warning: ${message}`),
    error: (message: string) => console.error(`${tag} error: ${message}`),
  };
}

export type Log = ReturnType<typeof createLog>;

/** Seconds since this process started (tsx's own start included): what a person waited. */
export const sinceStart = () => `${process.uptime().toFixed(1)} s`;

export const stackLog = {
  ...createLog('stack'),
  /** A step of the start, with the time since it began (scripts/bench/coldstart.ts reads these). */
  step: (message: string) => console.log(`[stack] ${message} (at ${sinceStart()})`),
};
