/**
 * Debian's Chromium driven by playwright-core, and pages that record what a test must check on
 * every page: every request's URL (only the stack's own origin is allowed), console errors,
 * uncaught errors, and how often the page was (re)loaded.
 */
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { waitFor } from './env.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Without these Chromium keeps trying to reach Google's services, which the sandboxed network refuses. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Playwright gives each launch a fresh temporary user-data dir, and deletes it when the browser closes. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  name: string;
  page: Page;
  /** Every URL the page asked for: documents, scripts, fetches, workers' requests, WebSockets. */
  requests: string[];
  consoleErrors: string[];
  /** Main-frame navigations: 1 means the page was never reloaded. */
  navigations: number;
  /** Resolves once no HTTP request of the page has been in flight for `quietMs` (WebSockets aside). */
  settled(quietMs?: number): Promise<void>;
}

/**
 * A page in a context of its own (no cookies, storage or cache shared with other pages), watched
 * from before its first request; it is still blank, so a test can prepare it (a fake clock) first.
 */
export async function openWatchedPage(
  browser: Browser,
  name: string,
  options: BrowserContextOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  let inFlight = 0;
  let lastChange = Date.now();
  const settle = () => {
    inFlight -= 1;
    lastChange = Date.now();
  };
  const watched: WatchedPage = {
    name,
    page,
    requests: [],
    consoleErrors: [],
    navigations: 0,
    settled: (quietMs = 300) =>
      waitFor(`page ${name} without a request in flight`, async () =>
        inFlight === 0 && Date.now() - lastChange >= quietMs ? true : undefined,
      ).then(() => undefined),
  };
  // On the context, so that requests of the page's workers (Monaco's) are seen too.
  context.on('request', (request) => {
    watched.requests.push(request.url());
    inFlight += 1;
    lastChange = Date.now();
  });
  context.on('requestfinished', settle);
  context.on('requestfailed', settle);
  page.on('websocket', (socket) => watched.requests.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') watched.consoleErrors.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => watched.consoleErrors.push(`uncaught: ${error.message}`));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) watched.navigations += 1;
  });
  return watched;
}

/** URLs of another host (or scheme) than `baseUrl`'s; `data:` URLs (Monaco's font) load nothing. */
export function foreignRequests(requests: string[], baseUrl: string): string[] {
  const base = new URL(baseUrl);
  return requests.filter((raw) => {
    let url = new URL(raw);
    if (url.protocol === 'data:') return false;
    if (url.protocol === 'blob:') url = new URL(url.pathname);
    return url.host !== base.host || !['http:', 'ws:'].includes(url.protocol);
  });
}
