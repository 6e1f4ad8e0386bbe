// The WASM engine keeps the shadow database it sets up in `devDiagnostic` (or in an opted-in
// `diagnoseMigrationHistory`), and `evaluateDataLoss`/`createMigration` only work on that kept
// one: without it they fail with "shadow DB must be provided through an external factory".
// Applying migrations to the main database throws it away, and `migrate dev` does exactly that
// between `devDiagnostic` and `evaluateDataLoss` whenever the database was behind. The native
// engine sets up a shadow database whenever it needs one, so we restore that behaviour by
// running `devDiagnostic` again (same migrations, same filters) when the kept one is gone.
import type { DevDiagnosticInput, Handler, Params } from './methods.js';
import type { SchemaEngine } from './wasm-engine.js';

const ready = new WeakSet<SchemaEngine>();

const establish = (name: string, params: Params) =>
  name === 'devDiagnostic' || (name === 'diagnoseMigrationHistory' && params.optInToShadowDatabase === true);
const needsKept = new Set(['evaluateDataLoss', 'createMigration']);
const leavesKept = new Set([...needsKept, 'ensureConnectionValidity', 'introspectSql']);

export function trackShadow(name: string, handler: Handler): Handler {
  return async (ctx, params) => {
    const { engine } = ctx;
    if (needsKept.has(name) && !ready.has(engine)) {
      const { migrationsList, filters } = params as unknown as DevDiagnosticInput;
      await engine.devDiagnostic({ migrationsList, filters });
      ready.add(engine);
    }
    try {
      const result = await handler(ctx, params);
      if (establish(name, params)) ready.add(engine);
      return result;
    } finally {
      // Anything else may have changed the main database; assume the worst.
      if (!establish(name, params) && !leavesKept.has(name)) ready.delete(engine);
    }
  };
}
