#!/usr/bin/env node
// Launcher the Prisma CLI runs as its schema engine (PRISMA_SCHEMA_ENGINE_BINARY points here).
// It only exists because the CLI needs an executable file; the engine itself is main.ts, run
// through tsx, which is resolved from this file's location so the CLI's working directory
// does not matter.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
