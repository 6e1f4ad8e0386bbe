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

export const stackLog = createLog('stack');
