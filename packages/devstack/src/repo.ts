import path from 'node:path';

/** The repository root: the stack runs the built services, nginx's config and migrations from there. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
