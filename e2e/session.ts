/**
 * The browser side of a test file: one Chromium per file, fresh pages per test, and after every
 * test the checks that hold for every page (no request to another host, no console error), plus a
 * screenshot of each open page when the test failed.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { screenshotFailure } from './artifacts.js';
import { foreignRequests, launchBrowser, openWatchedPage, type WatchedPage } from './browser.js';
import { stack } from './env.js';

export interface BrowserSession {
  /** A blank watched page in a context of its own; `goto` it yourself (after installing a clock, say). */
  blankPage(name: string, options?: BrowserContextOptions): Promise<WatchedPage>;
  /** A page at `path` of the stack, loaded. */
  open(path: string, name: string, options?: BrowserContextOptions): Promise<WatchedPage>;
  /**
   * Console errors matching `pattern` are expected in the current test only (a deliberate outage
   * makes Chromium log failed WebSocket handshakes by itself).
   */
  allowConsoleErrors(pattern: RegExp): void;
}

/** Registers the hooks of a test file that drives a browser; call once at the top of a `describe`. */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  let pages: WatchedPage[] = [];
  let allowed: RegExp[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async ({ task }) => {
    const open = pages;
    pages = [];
    const expectedErrors = allowed;
    allowed = [];
    if (task.result?.state === 'fail') {
      for (const { page, name } of open) await screenshotFailure(page, task.name, name);
    }
    const problems = open.flatMap(({ name, requests, consoleErrors }) => [
      ...foreignRequests(requests, stack().baseUrl).map((url) => `page ${name} requested another host: ${url}`),
      ...consoleErrors.filter((e) => !expectedErrors.some((p) => p.test(e))).map((e) => `page ${name}: ${e}`),
    ]);
    await Promise.all(open.map(({ page }) => page.context().close()));
    expect(problems, 'requests to another host or console errors').toEqual([]);
  });

  const blankPage = async (name: string, options?: BrowserContextOptions) => {
    if (!browser) throw new Error('useBrowser(): the browser is not launched yet (call pages from tests only)');
    const watched = await openWatchedPage(browser, name, options);
    pages.push(watched);
    return watched;
  };

  return {
    blankPage,
    async open(path, name, options) {
      const watched = await blankPage(name, options);
      await watched.page.goto(new URL(path, stack().baseUrl).toString());
      return watched;
    },
    allowConsoleErrors(pattern) {
      allowed.push(pattern);
    },
  };
}

export type { Page };
