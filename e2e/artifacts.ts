/**
 * What a run leaves for people and CI to look at, in e2e/artifacts/ (git-ignored): screenshots of
 * the main page and the playground on every run, one per open page of a failed test, and the
 * stack's log.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const ARTIFACTS_DIR = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** Screenshots of a failed test start with this, so a new run can drop those of the last one. */
const FAILURE_PREFIX = 'failed-';

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}

/** A file name from a test or page name: `shows F(500,000)…` becomes `shows-f-500-000`. */
export function slug(text: string, max = 80): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max);
}

/** The whole page, not only the viewport, under `name`.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = artifactPath(`${slug(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Best effort: a page that crashed or closed cannot be photographed, and that must not hide the failure itself. */
export async function screenshotFailure(page: Page, testName: string, pageName: string): Promise<void> {
  const file = await screenshot(page, `${FAILURE_PREFIX}${slug(testName, 60)}-${pageName}`).catch(
    (error: unknown) => `none (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
  );
  console.log(`[e2e] screenshot of page ${pageName} after "${testName}" failed: ${file}`);
}

/** Drops the failure screenshots of an earlier run; the directory's other files stay. */
export function clearFailureScreenshots(): void {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  for (const name of readdirSync(ARTIFACTS_DIR)) {
    if (name.startsWith(FAILURE_PREFIX) && name.endsWith('.png')) rmSync(path.join(ARTIFACTS_DIR, name));
  }
}
